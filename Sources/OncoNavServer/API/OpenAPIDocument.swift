import OncoRecords
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
            Operation("get", "/api/v1/cases/{caseID}/documents", "The case's documents with their processing status", response: ("200", "DocumentList")),
            Operation("post", "/api/v1/cases/{caseID}/documents", "Upload a document (the body is the file; `?name=` its file name; the type is read from the content). 201 stored, 200 already in the case, 422 refused with the reason", request: "Binary", response: ("201", "UploadResult"), errors: ["401", "404", "413", "422"]),
            Operation("get", "/api/v1/cases/{caseID}/documents/{documentID}", "One document's metadata and processing status", response: ("200", "Document")),
            Operation("get", "/api/v1/cases/{caseID}/documents/{documentID}/content", "The original file, decrypted (audited)", response: ("200", nil)),
            Operation("delete", "/api/v1/cases/{caseID}/documents/{documentID}", "Delete a document and the values taken from it", response: ("204", nil)),
            Operation("get", "/api/v1/cases/{caseID}/profile", "The structured profile: every value with its source, review state, conflicts and unknowns", response: ("200", "Profile")),
            Operation("post", "/api/v1/cases/{caseID}/facts/{factID}/review", "Confirm, reject or correct one value (the original is kept)", request: "Review", response: ("200", "Fact"), errors: ["400", "401", "404", "422"]),
            Operation("get", "/api/v1/cases/{caseID}/fhir", "The confirmed profile as an mCODE FHIR R4 Bundle (`?include=pending` adds unconfirmed values)", response: ("200", "FHIRBundle")),
            Operation("get", "/api/v1/cases/{caseID}/options", "The case matched against approved labels (per region) and imported trials: ranked options with a verdict, reason and evidence per criterion, and the to-do list (query: region, near)", response: ("200", "MatchReport")),
            Operation("post", "/api/v1/ask", "Answer a question from the knowledge base, with a citation for every statement; with `caseID` (and a token with access to the case), personalised from its confirmed values", request: "Ask", response: ("200", "Answer"), errors: ["400", "401", "404"], isPublic: true),
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
            ("Document", ["type": "object", "required": ["id", "fileName", "kind", "status", "factCount"],
                          "properties": ["id": uuid, "fileName": ["type": "string"], "kind": ["type": "string", "enum": .array(DocumentKind.allCases.map { .string($0.rawValue) })],
                                         "category": ["type": ["string", "null"]], "documentDate": ["type": ["string", "null"]], "sizeBytes": ["type": "integer"],
                                         "pageCount": ["type": ["integer", "null"]], "usedOCR": ["type": ["boolean", "null"]],
                                         "status": ["type": "string", "enum": .array(CaseDocument.Status.allCases.map { .string($0.rawValue) })],
                                         "statusDetail": ["type": ["string", "null"]], "warnings": ["type": "array", "items": ["type": "string"]], "factCount": ["type": "integer"]]]),
            ("DocumentList", ["type": "object", "required": ["documents"], "properties": ["documents": ["type": "array", "items": ["$ref": "#/components/schemas/Document"]]]]),
            ("UploadResult", ["type": "object", "required": ["outcome", "message"],
                              "properties": ["outcome": ["type": "string", "enum": ["stored", "duplicate"]], "message": ["type": "string"], "document": ["$ref": "#/components/schemas/Document"]]]),
            ("Fact", ["type": "object", "required": ["fact", "reviewState"], "description": "One profile value: `fact` holds the value, its provenance (document and character span, or FHIR resource), method and confidence.",
                      "properties": ["fact": ["type": "object"], "reviewState": ["type": "string", "enum": .array(CaseFact.ReviewState.allCases.map { .string($0.rawValue) })],
                                     "documentID": nullableUUID, "correctsID": nullableUUID, "reviewedBy": ["type": ["string", "null"]]]]),
            ("Profile", ["type": "object", "required": ["caseID", "facts", "conflicts", "summary", "unknowns", "disclaimer"],
                         "properties": ["caseID": uuid, "facts": ["type": "array", "items": ["$ref": "#/components/schemas/Fact"]], "conflicts": ["type": "array"],
                                        "summary": ["type": "object"], "unknowns": ["type": "array", "items": ["type": "string"]], "disclaimer": ["type": "string"]]]),
            ("Review", ["type": "object", "required": ["action"],
                        "properties": ["action": ["type": "string", "enum": ["confirm", "reject", "correct"]], "reason": ["type": "string"],
                                       "correction": ["type": "string", "description": "The value as a report would write it, e.g. \"ECOG 1\""]]]),
            ("FHIRBundle", ["type": "object", "description": "A FHIR R4 Bundle (type collection) with mCODE profiles."]),
            ("MatchReport", ["type": "object", "required": ["today", "cancers", "options", "toDo", "disclaimer"],
                             "description": "options are ranked (status, then relevance); each has kind (approved-product, trial, approach), status {kind, unknownCount, firstFailingCriterion, label} and verdicts [{text, origin, verdict: met|not-met|unknown|not-applicable, reason, evidence: [fact summaries with provenance]}].",
                             "properties": ["caseID": ["type": ["string", "null"]], "today": ["type": "string"], "cancers": ["type": "array", "items": ["type": "string"]],
                                            "options": ["type": "array"], "toDo": ["type": "array"], "notes": ["type": "array"], "disclaimer": ["type": "string"]]]),
            ("Ask", ["type": "object", "required": ["question"], "properties": ["question": ["type": "string", "minLength": 1, "maxLength": 500], "caseID": uuid]]),
            ("Answer", ["type": "object", "required": ["question", "kind", "directAnswer", "sections", "citations", "disclaimer"],
                        "description": "A structured answer: `kind` is answer, refusal or noAnswer; every statement lists the ids of the citations it rests on.",
                        "properties": ["question": ["type": "string"], "kind": ["type": "string", "enum": ["answer", "refusal", "noAnswer"]],
                                       "understanding": ["type": "object"], "directAnswer": ["type": "array"], "sections": ["type": "array"],
                                       "citations": ["type": "array"], "relatedQuestions": ["type": "array", "items": ["type": "string"]],
                                       "disclaimer": ["type": "string"], "inviteToUpload": ["type": "boolean"]]]),
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
            if operation.request == "Binary" {
                body.append(("requestBody", ["required": true, "content": ["*/*": ["schema": ["type": "string", "format": "binary"]]]]))
            } else if let request = operation.request {
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
