import Vapor

/// The home page: what OncoNav does for a patient, in plain words.
enum HomeController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(use: home).access(.anyone)
    }

    static func home(req: Request) async throws -> Response {
        try await req.page("home", title: "Navigate cell and gene therapy options", content: EmptyContent())
    }
}
