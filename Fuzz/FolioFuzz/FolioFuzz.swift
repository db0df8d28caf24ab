import FolioFuzzTargets
import Foundation

#if FUZZING
    import CLibFuzzer

    /// The entry point of the fuzz build. SwiftPM points an executable's `main`
    /// at this module's (`--defsym main=folio_fuzz_main`), so libFuzzer's own
    /// `main` cannot be the entry point: this one hands the command line to
    /// libFuzzer's driver, which runs each input through `fuzzOne` and saves the
    /// ones that trap.
    /// `FOLIO_FUZZ_TARGET=invoicePage` (a `FuzzTarget` case) fuzzes that target alone.
    @_cdecl("folio_fuzz_main")
    public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        if let name = ProcessInfo.processInfo.environment["FOLIO_FUZZ_TARGET"], !name.isEmpty, focus == nil {
            FileHandle.standardError.write(Data("FOLIO_FUZZ_TARGET: no target \(name); one of \(FuzzTarget.allCases.map(\.name))\n".utf8))
            return 2
        }
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            fuzzOne(UnsafeRawBufferPointer(start: data, count: size), only: focus)
            return 0
        }
    }

    /// The one target fuzzed, if `FOLIO_FUZZ_TARGET` names one.
    let focus = ProcessInfo.processInfo.environment["FOLIO_FUZZ_TARGET"].flatMap { name in
        FuzzTarget.allCases.first { $0.name == name }
    }
#else
    /// Without libFuzzer: replays every file of the corpus folders (or files)
    /// given, prints how many inputs each target took, and exits 1 at the first
    /// broken property, naming the file.
    @main
    struct CorpusReplay {
        static func main() {
            let paths = CommandLine.arguments.dropFirst()
            guard !paths.isEmpty else {
                FileHandle.standardError.write(Data("usage: folio-fuzz CORPUS_DIR_OR_FILE…\n".utf8))
                exit(2)
            }
            var counts = [Int](repeating: 0, count: FuzzTarget.allCases.count)
            for file in paths.flatMap(files) {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                do {
                    try fuzzCheck(Array(data))
                } catch {
                    print("\(file): \(error)")
                    exit(1)
                }
                if let first = data.first { counts[Int(first) % counts.count] += 1 }
            }
            for target in FuzzTarget.allCases { print("\(target): \(counts[target.rawValue]) inputs") }
            print("\(counts.reduce(0, +)) inputs, every property held")
        }

        static func files(_ path: String) -> [String] {
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &folder), folder.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.sorted().map { path + "/" + $0 }
        }
    }
#endif
