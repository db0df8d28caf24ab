/// The shared client core: models, queries, the API client and capture plans.
/// It knows nothing of terminals or of the reference server.
public enum FolioCore {}
