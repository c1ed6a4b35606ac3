import Foundation

/// Where a case is in the navigation journey. The workflow is an explicit state machine:
/// `CaseWorkflow.transitions` lists every allowed move and who may make it.
public enum CaseStage: String, Codable, Sendable, CaseIterable {
    case inquiry
    case collectingRecords = "collecting-records"
    case underReview = "under-review"
    case optionsReady = "options-ready"
    case eligibilityCoordination = "eligibility-coordination"
    case acceptedForScreening = "accepted-for-screening"
    case declined
    case travelAndAdmission = "travel-and-admission"
    case inTreatment = "in-treatment"
    case followUp = "follow-up"
    case closed
    case withdrawn

    public var title: String {
        switch self {
        case .inquiry: "Inquiry"
        case .collectingRecords: "Collecting records"
        case .underReview: "Under review"
        case .optionsReady: "Options ready"
        case .eligibilityCoordination: "Eligibility coordination"
        case .acceptedForScreening: "Accepted for screening"
        case .declined: "Declined"
        case .travelAndAdmission: "Travel and admission"
        case .inTreatment: "In treatment"
        case .followUp: "Follow-up"
        case .closed: "Closed"
        case .withdrawn: "Withdrawn"
        }
    }

    /// What this stage means for the patient, in plain words.
    public var patientExplanation: String {
        switch self {
        case .inquiry: "We have your request. A navigator will contact you soon, usually within two working days."
        case .collectingRecords: "We are gathering your medical records: pathology, scans, blood tests and letters from your doctors."
        case .underReview: "Your navigator is checking the information taken from your records, so that it is complete and correct."
        case .optionsReady: "Your options have been prepared: approved therapies whose labels may fit, and clinical trials. Your navigator will go through them with you."
        case .eligibilityCoordination: "With your consent, your case has been sent to a hospital or trial team, who are checking whether you could be screened."
        case .acceptedForScreening: "A hospital or trial team has agreed to see you for screening tests. Screening decides whether the treatment can go ahead."
        case .declined: "The hospital or trial team could not accept your case. Your navigator will explain why and look at other options with you."
        case .travelAndAdmission: "We are arranging the practical side: documents, travel, a place to stay near the treatment centre, and the admission date."
        case .inTreatment: "You are in treatment. Your navigator stays in touch with you and your family."
        case .followUp: "Treatment is done. Follow-up visits and checks continue, and your home oncologist receives a summary."
        case .closed: "Your case is closed. You can still read everything in it and download your records."
        case .withdrawn: "The case was withdrawn. You can still read everything in it and download your records."
        }
    }

    /// What happens next, for the patient.
    public var nextStep: String {
        switch self {
        case .inquiry: "Upload any records you already have; it speeds things up."
        case .collectingRecords: "Upload the records on your list below, or ask your hospital to send them."
        case .underReview: "Check the values on the review page and correct anything that is wrong."
        case .optionsReady: "Read your options and write down your questions for your navigator and your doctors."
        case .eligibilityCoordination: "Wait for the hospital's answer; they may ask for more information."
        case .acceptedForScreening: "Your navigator will start the travel and admission checklist with you."
        case .declined: "Talk with your navigator about the other options."
        case .travelAndAdmission: "Work through the travel checklist and keep your documents ready."
        case .inTreatment: "Follow the treatment team's instructions and tell them at once about any new symptom."
        case .followUp: "Keep your follow-up appointments and the restrictions your team gave you."
        case .closed, .withdrawn: "Nothing more is needed."
        }
    }

    public var isFinal: Bool { self == .closed || self == .withdrawn }
}

/// Who may move a case along one edge of the workflow.
public enum TransitionActor: Sendable, Hashable {
    case staff
    case patient
    case partner
}

public struct CaseTransition: Sendable, Hashable {
    public let from: CaseStage
    public let to: CaseStage
    public let actors: Set<TransitionActor>
    public let requiresReason: Bool
    public let label: String
}

/// The navigation workflow as data: allowed moves, who may make them, whether a reason is
/// required, and the tasks a stage starts with.
public enum CaseWorkflow {
    public static let transitions: [CaseTransition] = {
        func t(_ from: CaseStage, _ to: CaseStage, _ actors: Set<TransitionActor>, reason: Bool = false, _ label: String) -> CaseTransition {
            CaseTransition(from: from, to: to, actors: actors, requiresReason: reason, label: label)
        }
        var list: [CaseTransition] = [
            t(.inquiry, .collectingRecords, [.staff], "Start collecting records"),
            t(.collectingRecords, .underReview, [.staff, .patient], "Records are complete: review them"),
            t(.underReview, .collectingRecords, [.staff], reason: true, "More records are needed"),
            t(.underReview, .optionsReady, [.staff], "Options are ready"),
            t(.optionsReady, .underReview, [.staff], reason: true, "Back to review"),
            t(.optionsReady, .eligibilityCoordination, [.staff], "Start eligibility coordination with a partner"),
            t(.eligibilityCoordination, .acceptedForScreening, [.staff, .partner], "Accepted for screening"),
            t(.eligibilityCoordination, .declined, [.staff, .partner], reason: true, "Declined"),
            t(.eligibilityCoordination, .optionsReady, [.staff], reason: true, "Back to the options"),
            t(.declined, .eligibilityCoordination, [.staff], "Try another partner"),
            t(.declined, .optionsReady, [.staff], "Back to the options"),
            t(.declined, .closed, [.staff], reason: true, "Close the case"),
            t(.acceptedForScreening, .travelAndAdmission, [.staff], "Start travel and admission"),
            t(.travelAndAdmission, .inTreatment, [.staff, .partner], "Admitted: in treatment"),
            t(.inTreatment, .followUp, [.staff, .partner], "Treatment done: follow-up"),
            t(.followUp, .closed, [.staff], reason: true, "Close the case"),
        ]
        for stage in CaseStage.allCases where !stage.isFinal {
            list.append(t(stage, .withdrawn, [.staff, .patient], reason: true, "Withdraw the case"))
        }
        return list
    }()

    public static func transitions(from stage: CaseStage) -> [CaseTransition] {
        transitions.filter { $0.from == stage }
    }

    public static func transition(from: CaseStage, to: CaseStage) -> CaseTransition? {
        transitions.first { $0.from == from && $0.to == to }
    }

    /// Working days to first response (and to each automatic task) per stage.
    public struct TaskTemplate: Sendable, Hashable {
        public let title: String
        public let workingDays: Int
        /// The patient does it (upload, sign), rather than the navigator.
        public let forPatient: Bool
    }

    public static func tasks(onEntering stage: CaseStage) -> [TaskTemplate] {
        switch stage {
        case .inquiry:
            [TaskTemplate(title: "First response to the patient", workingDays: 2, forPatient: false)]
        case .collectingRecords:
            [TaskTemplate(title: "Request the pathology report (diagnosis and biopsy results)", workingDays: 5, forPatient: false),
             TaskTemplate(title: "Request the latest imaging report (PET-CT, CT or MRI)", workingDays: 5, forPatient: false),
             TaskTemplate(title: "Request recent blood tests (blood count, kidney and liver values)", workingDays: 5, forPatient: false),
             TaskTemplate(title: "Request the treatment history from the treating oncologist", workingDays: 5, forPatient: false),
             TaskTemplate(title: "Upload the records you already have", workingDays: 5, forPatient: true)]
        case .underReview:
            [TaskTemplate(title: "Review and confirm the values read from the records", workingDays: 3, forPatient: false)]
        case .optionsReady:
            [TaskTemplate(title: "Go through the options with the patient", workingDays: 3, forPatient: false)]
        case .eligibilityCoordination:
            [TaskTemplate(title: "Record the patient's consent and send the referral packet", workingDays: 2, forPatient: false),
             TaskTemplate(title: "Follow up on the partner's answer", workingDays: 7, forPatient: false)]
        case .acceptedForScreening:
            [TaskTemplate(title: "Agree the screening date with the centre", workingDays: 2, forPatient: false)]
        case .declined:
            [TaskTemplate(title: "Explain the decision to the patient and discuss other options", workingDays: 2, forPatient: false)]
        case .travelAndAdmission:
            [TaskTemplate(title: "Work through the travel and admission checklist", workingDays: 5, forPatient: false)]
        case .inTreatment:
            [TaskTemplate(title: "Check in with the patient and family", workingDays: 5, forPatient: false)]
        case .followUp:
            [TaskTemplate(title: "Send the hand-off summary to the home oncologist", workingDays: 5, forPatient: false)]
        case .closed, .withdrawn:
            []
        }
    }

    /// `days` working days (Monday to Friday) after `date`, in UTC.
    public static func addingWorkingDays(_ days: Int, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var result = date
        var remaining = days
        while remaining > 0 {
            result = calendar.date(byAdding: .day, value: 1, to: result)!
            let weekday = calendar.component(.weekday, from: result)
            if weekday != 1 && weekday != 7 { remaining -= 1 }
        }
        return result
    }
}
