import Vapor

/// The OpenAPI 3.1 description of the JSON API, served at `/api/openapi.json`.
///
/// Written as data next to the routes it describes; `OpenAPITests` fails when a registered
/// API route is missing here, or when this describes a route that does not exist.
enum OpenAPIDocument {
    struct Operation: Sendable {
        let method: String
        /// OpenAPI path template, e.g. `/api/v1/cases/{caseID}`.
        let path: String
        let summary: String
        let request: String?
        let response: (status: String, schema: String?)
        let errors: [String]
        let isPublic: Bool

        init(_ method: String, _ path: String, _ summary: String, request: String? = nil, response: (String, String?), errors: [String] = ["401", "404"], isPublic: Bool = false) {
            self.method = method
            self.path = path
            self.summary = summary
            self.request = request
            self.response = (response.0, response.1)
            self.errors = errors
            self.isPublic = isPublic
        }
    }

    static var operations: [Operation] {
        [
            Operation("get", "/api/v1/me", "The account the token belongs to", response: ("200", "Me"), errors: ["401"]),
            Operation("get", "/api/v1/cases", "Cases the caller may read", response: ("200", "CaseList"), errors: ["401"]),
            Operation("post", "/api/v1/cases", "Open a case", request: "CreateCase", response: ("201", "Case"), errors: ["400", "401", "403"]),
            Operation("get", "/api/v1/cases/{caseID}", "One case", response: ("200", "Case")),
            Operation("patch", "/api/v1/cases/{caseID}", "Change a case", request: "UpdateCase", response: ("200", "Case"), errors: ["400", "401", "404"]),
            Operation("delete", "/api/v1/cases/{caseID}", "Delete a case", response: ("204", nil)),
            Operation("get", "/api/v1/knowledge/approaches", "Every therapy approach with its evidence and sources", response: ("200", "KnowledgeObject"), errors: [], isPublic: true),
            Operation("get", "/api/v1/knowledge/approaches/{id}", "One therapy approach", response: ("200", "KnowledgeObject"), errors: ["404"], isPublic: true),
            Operation("get", "/api/v1/knowledge/products", "Approved cell and gene therapies with their indications by region", response: ("200", "KnowledgeObject"), errors: [], isPublic: true),
            Operation("get", "/api/v1/knowledge/products/{id}", "One product with its indications by region", response: ("200", "KnowledgeObject"), errors: ["404"], isPublic: true),
            Operation("get", "/api/v1/knowledge/cancers/{id}", "Options for a cancer (by id, name or abbreviation)", response: ("200", "KnowledgeObject"), errors: ["404"], isPublic: true),
            Operation("get", "/api/v1/knowledge/glossary", "The glossary", response: ("200", "KnowledgeObject"), errors: [], isPublic: true),
            Operation("get", "/api/v1/knowledge/journey", "The steps of the CAR-T journey with typical durations", response: ("200", "KnowledgeObject"), errors: [], isPublic: true),
            Operation("get", "/api/v1/trials", "Search imported trials (query parameters q, condition, modality, phase, recruiting, country, near, radius, age, sex)", response: ("200", "KnowledgeObject"), errors: [], isPublic: true),
            Operation("get", "/api/v1/trials/{nctID}", "One trial with its eligibility criteria parsed beside the original text", response: ("200", "KnowledgeObject"), errors: ["404"], isPublic: true),
            Operation("get", "/api/v1/knowledge/search", "Search the knowledge base (query parameter q)", response: ("200", "KnowledgeObject"), errors: ["400"], isPublic: true),
        ]
    }

    static var schemas: [(String, JSONValue)] {
        [
            ("Problem", ["type": "object", "description": "RFC 9457 problem details", "required": ["title", "status", "detail"],
                         "properties": ["type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"]]]),
            ("Me", ["type": "object", "required": ["id", "email", "displayName", "role"],
                    "properties": ["id": uuid, "email": ["type": "string", "format": "email"], "displayName": ["type": "string"],
                                   "role": ["type": "string", "enum": .array(Role.allCases.map { .string($0.rawValue) })],
                                   "organization": ["type": ["string", "null"]]]]),
            ("Case", ["type": "object", "required": ["id", "title"],
                      "properties": ["id": uuid, "title": ["type": "string", "maxLength": 200], "ownerID": nullableUUID, "navigatorID": nullableUUID,
                                     "createdAt": ["type": ["string", "null"], "format": "date-time"], "updatedAt": ["type": ["string", "null"], "format": "date-time"]]]),
            ("CaseList", ["type": "object", "required": ["cases"], "properties": ["cases": ["type": "array", "items": ["$ref": "#/components/schemas/Case"]]]]),
            ("CreateCase", ["type": "object", "required": ["title"],
                            "properties": ["title": ["type": "string", "minLength": 1, "maxLength": 200],
                                           "patientEmail": ["type": "string", "description": "Navigators and admins: the patient account the case belongs to."]]]),
            ("KnowledgeObject", ["type": "object", "description": "Knowledge base content; every item carries `provenance` (sources with URLs and access dates, and the last-reviewed date)."]),
            ("UpdateCase", ["type": "object", "properties": ["title": ["type": "string", "minLength": 1, "maxLength": 200]]]),
        ]
    }

    static let uuid: JSONValue = ["type": "string", "format": "uuid"]
    static let nullableUUID: JSONValue = ["type": ["string", "null"], "format": "uuid"]

    static func document(serverURL: String) -> JSONValue {
        var paths: [(String, JSONValue)] = []
        for operation in operations {
            var responses: [(String, JSONValue)] = []
            let description: JSONValue = .string(operation.response.status == "204" ? "No content" : "Success")
            if let schema = operation.response.schema {
                responses.append((operation.response.status, ["description": description, "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(schema)")]]]]))
            } else {
                responses.append((operation.response.status, ["description": description]))
            }
            for status in operation.errors {
                responses.append((status, ["description": .string(HTTPResponseStatus(statusCode: Int(status) ?? 500).reasonPhrase),
                                           "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]]))
            }
            var body: [(String, JSONValue)] = [
                ("summary", .string(operation.summary)),
                ("operationId", .string(operationID(operation))),
                ("responses", .object(responses)),
            ]
            let parameters = pathParameters(operation.path)
            if !parameters.isEmpty {
                body.append(("parameters", .array(parameters.map { ["name": .string($0), "in": "path", "required": true, "schema": ["type": "string"]] })))
            }
            if let request = operation.request {
                body.append(("requestBody", ["required": true, "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(request)")]]]]))
            }
            if operation.isPublic { body.append(("security", [])) }
            if let index = paths.firstIndex(where: { $0.0 == operation.path }), case var .object(existing) = paths[index].1 {
                existing.append((operation.method, .object(body)))
                paths[index].1 = .object(existing)
            } else {
                paths.append((operation.path, .object([(operation.method, .object(body))])))
            }
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "OncoNav API", "version": "1.0.0",
                     "description": "OncoNav informs and coordinates; it does not give medical advice. Authenticate with a personal access token from your account page: `Authorization: Bearer onc_…`. Errors are application/problem+json."],
            "servers": [["url": .string(serverURL)]],
            "security": [["bearerAuth": []]],
            "paths": .object(paths),
            "components": ["securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer"]], "schemas": .object(schemas)],
        ]
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }

    static func operationID(_ operation: Operation) -> String {
        let parts = operation.path.split(separator: "/").dropFirst(2).map { part in
            part.hasPrefix("{") ? "By" + part.dropFirst().dropLast().prefix(1).uppercased() + part.dropFirst(2).dropLast() : part.prefix(1).uppercased() + part.dropFirst()
        }
        return operation.method + parts.joined()
    }

    static func register(_ routes: any RoutesBuilder) {
        routes.get("api", "openapi.json") { req -> Response in
            let document = OpenAPIDocument.document(serverURL: req.application.appConfig.publicBaseURL.absoluteString)
            return try JSONOutput.response(document, pretty: true)
        }.access(.anyone)
    }
}
