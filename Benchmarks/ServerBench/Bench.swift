import FolioServer
@main struct Bench { static func main() {} }
