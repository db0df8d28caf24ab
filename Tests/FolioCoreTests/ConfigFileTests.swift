import Foundation
import Testing

@testable import FolioCore

/// The config file is judged as ssh judges its files, on the file actually
/// read, and what it says wrong never repeats its text.
/// Swift Testing makes one instance per test (and per argument), so each
/// has a fresh folder, removed when it ends.
@Suite final class ConfigFileTests {
    let dir: String
    /// Where each test's config goes.
    let path: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-configfile-\(UUID().uuidString)").path
        path = dir + "/config.yaml"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ yaml: String, to path: String, mode: Int) throws {
        try yaml.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    func load(_ path: String) async -> Result<FolioSettings, FolioError> {
        do throws(FolioError) { return .success(try await FolioSettings.load(environment: [:], path: path)) } catch {
            return .failure(error)
        }
    }

    func message(_ path: String) async -> String? {
        if case .failure(let error) = await load(path) { return error.message }
        return nil
    }

    /// Every way YAML can spell a secret key is seen as one.
    @Test(arguments: [
        "profiles:\n  a:\n    base_url: https://a.example.com\n    token: s3cr3t-value\n",
        "profiles: {a: {base_url: 'https://a.example.com', token: s3cr3t-value}}\n",
        "profiles:\n  a:\n    base_url: https://a.example.com\n    \"token\": s3cr3t-value\n",
        "profiles:\n  a:\n    base_url: https://a.example.com\n    token : s3cr3t-value\n",
        "profiles:\n  a:\n    base_url: https://a.example.com\n    ? token\n    : s3cr3t-value\n",
        "profiles:\n  a:\n    base_url: https://a.example.com\n    oauth: {client_id: erp, 'client_secret': s3cr3t-value}\n",
        "profiles:\n  a:\n    base_url: https://a.example.com\n    token: |\n      s3cr3t-value\n",
        // A dotted key is a path to swift-configuration: these are the same secrets.
        "profiles:\n  a:\n    base_url: https://a.example.com\n    oauth.client_id: erp\n    oauth.client_secret: s3cr3t-value\n",
        "profiles: {a.token: s3cr3t-value, a.base_url: 'https://a.example.com'}\n",
    ])
    func aSecretInAnyYAMLStyleNeedsAPrivateFile(yaml: String) async throws {
        try write("profile: a\n" + yaml, to: path, mode: 0o644)
        let refusal = await message(path)
        #expect(refusal?.contains("holds a secret") == true && refusal?.contains("chmod 600") == true, "\(yaml): \(refusal ?? "accepted")")
        #expect(refusal?.contains("s3cr3t") == false)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(await message(path) == nil, "\(yaml): private, it is read")
    }

    /// A key that is not plain text is refused: Yams reads `{=: token}` as the key `token`.
    @Test func aKeyThatIsNotPlainTextIsRefused() async throws {
        try write(
            "profile: a\nprofiles:\n  a:\n    base_url: https://a.example.com\n    ? {=: token}\n    : s3cr3t\n",
            to: path, mode: 0o644)
        let refusal = await message(path)
        #expect(refusal?.contains("not plain text") == true, "\(refusal ?? "accepted")")
        #expect(refusal?.contains("s3cr3t") == false)
    }

    /// Nested aliases that would expand to billions of values are refused, not walked.
    @Test func anAliasBombIsRefused() async throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        try write(yaml, to: path, mode: 0o600)
        let started = ContinuousClock.now
        #expect(await message(path)?.contains("nested aliases") == true)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    /// A config of comments only has no settings; the environment still works.
    @Test func anEmptyConfigIsNoSettings() async throws {
        try write("# nothing here yet\n", to: path, mode: 0o600)
        let settings = try await FolioSettings.load(
            environment: ["FOLIO_BASE_URL": "https://a.example.com", "FOLIO_TOKEN": "t"],
            path: path)
        #expect(settings.profile.baseURL == "https://a.example.com")
    }

    /// An empty or null secret key holds nothing; a file of commands only may be readable.
    @Test func noSecretMeansReadableIsFine() async throws {
        try write(
            "profile: a\nprofiles:\n  a:\n    base_url: https://a.example.com\n    token: ~\n    token_command: echo x\n",
            to: path, mode: 0o644)
        #expect(await message(path) == nil)
    }

    /// Writable by group or others, it could be made to run any command as the clerk.
    @Test(arguments: [0o620, 0o602, 0o666, 0o664])
    func aFileOthersCanChangeIsRefused(mode: Int) async throws {
        try write("profile: a\nprofiles:\n  a:\n    base_url: https://a.example.com\n    token_command: echo x\n", to: path, mode: mode)
        let refusal = await message(path)
        #expect(
            refusal?.contains("can be changed by others") == true && refusal?.contains("chmod go-w") == true,
            "mode \(String(mode, radix: 8)): \(refusal ?? "accepted")")
    }

    /// Only root can give a file away, so this runs where the tests run as root (CI does).
    @Test(.enabled(if: geteuid() == 0, "needs root to chown a file to another user"))
    func aFileOfAnotherUserIsRefused() async throws {
        try write("profile: a\nprofiles:\n  a:\n    base_url: https://a.example.com\n    token_command: echo x\n", to: path, mode: 0o600)
        #expect(chown(path, 65534, 65534) == 0)
        #expect(await message(path)?.contains("belongs to another user") == true)
    }

    /// stow and chezmoi link the config: the link's own mode (always 777) does
    /// not matter; the file it points to is judged.
    @Test func aSymlinkedConfigIsJudgedByItsTarget() async throws {
        let target = dir + "/dotfiles-config.yaml"
        let link = dir + "/config.yaml"
        try write("profile: a\nprofiles:\n  a:\n    base_url: https://a.example.com\n    token: s3cr3t\n", to: target, mode: 0o600)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(await message(link) == nil, "a private target is read through the link")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target)
        #expect(await message(link)?.contains("holds a secret") == true, "an open target is refused through the link")
        try FileManager.default.removeItem(atPath: target)
        #expect(await message(link)?.contains("symbolic link to a file that does not exist") == true)
    }

    /// A folder or a FIFO in the config's place is refused at once (a FIFO would otherwise block the read).
    @Test func notAPlainFileIsRefused() async throws {
        try FileManager.default.createDirectory(atPath: dir + "/config.yaml", withIntermediateDirectories: false)
        #expect(await message(dir + "/config.yaml")?.contains("not a regular file") == true)
        #expect(mkfifo(dir + "/fifo.yaml", 0o600) == 0)
        #expect(await message(dir + "/fifo.yaml")?.contains("not a regular file") == true)
    }

    /// A syntax error says where — file, line, column — and never the line, which may hold a secret.
    @Test(arguments: [
        ("profile: a\nprofiles:\n  a:\n    token: s3cr3t: [oops\n", 4),
        ("profile: a\nprofiles:\n  a:\n\ttoken: s3cr3t\n", 4),
        ("profile: a\nprofiles: {a: {token: s3cr3t\n", 3),
        // A repeated key is placed at the start of its mapping.
        ("profile: a\nprofile: b\ntoken: s3cr3t\n", 1),
    ])
    func aSyntaxErrorNamesThePlaceNotTheText(yaml: String, line: Int) async throws {
        try write(yaml, to: path, mode: 0o600)
        let refusal = await message(path) ?? "accepted"
        #expect(refusal.hasPrefix("\(path):\(line):") && refusal.contains("not valid YAML"), "\(refusal)")
        #expect(!refusal.contains("s3cr3t") && !refusal.contains("token:"), "\(refusal)")
    }

    /// Bytes that are not UTF-8 are refused by name, not half-read.
    @Test func notUTF8IsRefused() async throws {
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data([0x70, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]),
                attributes: [.posixPermissions: 0o600]))
        #expect(await message(path)?.contains("not UTF-8") == true)
    }

    /// What the provider answers is what was read and checked, even when the
    /// file is replaced afterwards: the path is never opened twice.
    @Test func theBytesReadAreTheBytesChecked() async throws {
        try write(
            "profile: a\nprofiles:\n  a:\n    base_url: https://a.example.com\n    token_command: echo first\n",
            to: path, mode: 0o600)
        let file = try #require(try ConfigFile.read(path))
        try write(
            "profile: a\nprofiles:\n  a:\n    base_url: https://evil.example\n    token_command: echo swapped\n",
            to: path, mode: 0o666)
        let provider = try #require(try file.provider())
        let value = try provider.value(forKey: ["profiles", "a", "token_command"], type: .string).value
        #expect(value?.description.contains("first") == true)
    }
}
