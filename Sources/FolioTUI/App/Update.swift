import FolioCore
import FolioTerminal

extension AppState {
    /// The one place state changes: an event in, effects out. Pure: no I/O,
    /// no clock, no randomness — the runtime does those and sends events back.
    public mutating func update(_ event: Event) -> [Effect] {
        defer { list.top = ListState.scrolledTop(top: list.top, selected: list.selected, visible: listBodyHeight) }
        switch event {
        case .resize(let width, let height):
            self.width = width
            self.height = height
            let desk = Desk(state: self)
            list.resized(desk)
            for index in rooms.indices { rooms[index].room.resized(desk) }
            return []
        case .tick:
            spinner &+= 1
            return []
        case .key(let key):
            return press(key)
        case .mouse(let mouse):
            guard !isTooSmall else { return [] }
            return run(on: rooms.last?.id ?? AppState.home) { room, desk in room.point(mouse, &desk) }
        case .paste(let text):
            guard !isTooSmall else { return [] }
            var taken = false
            let effects = run(on: rooms.last?.id ?? AppState.home) { room, _ in
                taken = room.paste(text)
                return []
            }
            if !taken, message?.kind != .error { message = StatusMessage(.info, "paste ignored: nothing here takes text") }
            return effects
        case .writesChecked(let request, let result):
            return writesChecked(request, result)
        default:
            return deliver(event)
        }
    }

    /// An answer goes to the room that asked; a room closed since is not
    /// asked again, and its answer is dropped.
    private mutating func deliver(_ event: Event) -> [Effect] {
        guard let request = event.request, dropped.remove(request) == nil else { return [] }
        let owner = owners.removeValue(forKey: request) ?? AppState.home
        // A page the list turned for a room that waits on it: that room shows the new selection.
        let follower = owner == AppState.home && list.loading?.request == request ? followsSelection : nil
        if follower != nil { followsSelection = nil }
        var effects =
            owner == AppState.home
            ? runList { list, desk in list.receive(event, &desk) }
            : run(on: owner) { room, desk in room.receive(event, &desk) }
        if let follower, case .pageLoaded(_, .success) = event, list.loading == nil {
            effects += run(on: follower) { room, desk in room.notice(.selectionMoved, &desk) }
        }
        return effects
    }

    private mutating func press(_ key: Key) -> [Effect] {
        // A passing note goes with the next key (`m` still shows it whole);
        // an error stays until it is mended.
        let shown = message
        if message?.kind != .error { message = nil }
        if isTooSmall {
            // Nothing to see: Q quits, q quits from the list, Ctrl-L repaints;
            // the rest waits for a bigger window (a half-filled form is kept).
            switch GenericAction.keymap.action(for: key) {
            case .quit?: return [.quit(status: 0)]
            case .back? where rooms.isEmpty: return [.quit(status: 0)]
            case .redraw?: return [.redraw]
            default: return []
            }
        }
        var taken = true
        func pressed(_ effects: [Effect]?) -> [Effect] {
            guard let effects else {
                taken = false
                return []
            }
            return effects
        }
        // The list is pressed as itself (no box): it has the keys most of the time.
        let effects =
            if let id = rooms.last?.id {
                run(on: id) { room, desk in pressed(room.press(key, &desk)) }
            } else {
                runList { list, desk in pressed(list.press(key, &desk)) }
            }
        if taken { return effects }
        // The generic layer: a text field keeps its printable keys.
        if topTakesText, key.isText { return [] }
        guard let action = GenericAction.keymap.action(for: key) else { return [] }
        return perform(action, shown: shown)
    }

    private mutating func perform(_ action: GenericAction, shown: StatusMessage?) -> [Effect] {
        switch action {
        case .redraw: return [.redraw]
        case .quit: return [.quit(status: 0)]
        case .interrupt: return [.quit(status: 130)]
        case .suspend: return [.suspend]
        case .help:
            let room = top
            return push(HelpState(title: room.title, lines: room.helpLines))
        case .writes:
            return push(WritesDialog()) + (writes.checking == nil ? checkWrites() : [])
        case .message:
            guard let shown = shown ?? fullMessage else {
                message = StatusMessage(.info, "no message to show")
                return []
            }
            return push(MessageDialog(shown))
        case .back:
            guard let last = rooms.last else { return [.quit(status: 0)] }
            return close(last.id)
        case .cancel:
            guard let last = rooms.last else { return [] }
            return close(last.id)
        }
    }

    /// What `m` shows: the status line's message, else the top room's problem, else the open writes.
    var fullMessage: StatusMessage? {
        message ?? rooms.reversed().lazy.compactMap(\.room.standing).first ?? writes.banner.map { StatusMessage(.warning, $0) }
    }

    // MARK: - The stack

    /// Runs `body` on a room with a desk of its own, then does what the room asked of the stack.
    mutating func run(on id: Int, _ body: (inout any Room, inout Desk) -> [Effect]) -> [Effect] {
        if id == AppState.home {
            return runList { list, desk in
                var room: any Room = list
                defer { list = room as! ListState }  // the home room stays the list
                return body(&room, &desk)
            }
        }
        guard let index = rooms.firstIndex(where: { $0.id == id }) else { return [] }
        var desk = Desk(state: self)
        let effects = body(&rooms[index].room, &desk)
        return effects + settle(desk, for: id)
    }

    /// Runs `body` on the list, the home room.
    mutating func runList(_ body: (inout ListState, inout Desk) -> [Effect]) -> [Effect] {
        var desk = Desk(state: self)
        let effects = body(&list, &desk)
        return effects + settle(desk, for: AppState.home)
    }

    /// Takes back the desk a room worked at: its message, its requests, and what it asked of the stack.
    private mutating func settle(_ desk: Desk, for id: Int) -> [Effect] {
        message = desk.message
        lastRequest = desk.lastRequest
        if id != AppState.home { for request in desk.claimed { owners[request] = id } }
        var effects: [Effect] = []
        for order in desk.orders {
            switch order {
            case .push(let room): effects += push(room)
            case .close: effects += close(id)
            case .reloadList: effects += runList { list, desk in list.reload(&desk) }
            case .step(let forward): effects += step(forward: forward, for: id)
            case .checkWrites(let restart): effects += restart || writes.checking == nil ? checkWrites() : []
            case .settle(let reference, let note):
                let request = nextRequest()
                writes.checking = request
                effects.append(.settleWrite(request: request, reference: reference, note: note))
            case .tell(let notice): effects += tell(notice)
            case .filter(let change): effects += runList { list, desk in list.apply(change, &desk) }
            }
        }
        return effects
    }

    /// Puts a room on top and lets it make its first requests.
    mutating func push(_ room: any Room) -> [Effect] {
        let id = nextRoomID()
        rooms.append(Stacked(id: id, room: room))
        return run(on: id) { room, desk in room.opened(&desk) }
    }

    /// Takes a room off the stack, with the dialogs that stood over it (they
    /// were about it); answers to their requests are dropped from now on.
    mutating func close(_ id: Int) -> [Effect] {
        guard let index = rooms.firstIndex(where: { $0.id == id }) else { return [] }
        var end = index + 1
        while end < rooms.count, rooms[end].room.isDialog { end += 1 }
        let gone = Set(rooms[index..<end].map(\.id))
        rooms.removeSubrange(index..<end)
        for (request, owner) in owners where gone.contains(owner) {
            owners[request] = nil
            dropped.insert(request)
        }
        if let follower = followsSelection, gone.contains(follower) { followsSelection = nil }
        return []
    }

    /// Tells every room, the list first.
    mutating func tell(_ notice: Notice) -> [Effect] {
        var effects = runList { list, desk in list.notice(notice, &desk) }
        for id in rooms.map(\.id) { effects += run(on: id) { room, desk in room.notice(notice, &desk) } }
        return effects
    }

    /// `n`/`p` on an invoice: the list's next or previous invoice; past the
    /// page the list turns it (landing on its first or last row) and the
    /// room that asked follows when the page arrives.
    private mutating func step(forward: Bool, for id: Int) -> [Effect] {
        // A second n while the page turns would turn another: wait for this one.
        if followsSelection == id, list.loading != nil {
            message = StatusMessage(.info, "turning the page…")
            return []
        }
        let index = list.selected + (forward ? 1 : -1)
        if list.rows.indices.contains(index) {
            list.selected = index
            if followsSelection == id { followsSelection = nil }
            return run(on: id) { room, desk in room.notice(.selectionMoved, &desk) }
        }
        let turn = runList { list, desk in list.perform(forward ? .down : .up, &desk) }
        guard !turn.isEmpty else {
            message = StatusMessage(.info, forward ? "this is the last invoice of the list" : "this is the first invoice of the list")
            return []
        }
        followsSelection = id
        return turn
    }

    /// A request number the app itself owns (the write checks).
    mutating func nextRequest() -> Int {
        lastRequest += 1
        return lastRequest
    }
}

extension Event {
    /// The request an answer belongs to (nil for keys, sizes and ticks).
    var request: Int? {
        switch self {
        case .key, .mouse, .resize, .paste, .tick: nil
        case .pageLoaded(let r, _), .searched(let r, _), .detailLoaded(let r, _), .orderLoaded(let r, _),
            .createOrderLoaded(let r, _), .invoiceableOrdersLoaded(let r, _), .invoiceCreated(let r, _),
            .orderInvoicesLoaded(let r, _), .emailSent(let r, _), .writesChecked(let r, _), .historyLoaded(let r, _),
            .resendChecked(let r, _), .noteAdded(let r, _), .refundSourceLoaded(let r, _), .creditMemoCreated(let r, _):
            r
        }
    }
}
