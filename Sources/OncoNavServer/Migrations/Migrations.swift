import Fluent

/// Every migration, in order. Later issues append; never reorder or edit a shipped one.
enum OncoNavMigrations {
    static let all: [any Migration] = [
        CreateOrganizations(),
        CreateUsers(),
        CreateUserSessions(),
        CreateAPITokens(),
        CreateLoginAttempts(),
        CreateOneTimeTokens(),
        CreateOutboxMessages(),
        CreateCases(),
        CreateCaseShares(),
        CreateAuditEvents(),
        CreateTrials(),
        CreateDocuments(),
        CreateDocumentJobs(),
        CreateCaseFacts(),
        CreateNavigation(),
        CreateReferrals(),
        AddOutboxDelivery(),
        CreateTravel(),
        CreateMatchSnapshots(),
        AddOutboxSealedLink(),
        AddCaseTreatmentRegion(),
        AddTrialParsedCriteria(),
        CreateTrialAlerts(),
        CreateRematchMarkers(),
        AddUserTrialNewsEmail(),
        CreateTrialSyncState(),
        CreateTrialSampleState(),
        AddTrialLoadIndexes(),
    ]
}
