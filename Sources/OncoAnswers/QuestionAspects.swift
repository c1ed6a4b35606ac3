import OncoKnowledge

/// The words that ask about one aspect of a product's profile ("how is it given", "what
/// does it target", "what virus"), as normalised phrases matched on whole words.
extension QuestionVocabulary {
    static let aspectPhrases: [(ProductFact.Aspect, [String])] = [
        (.target, ["target", "targets", "targeted", "targeting", "directed against", "what does it attack",
                   "antigen", "what protein", "which protein", "recognise", "recognize", "hla", "hla typing"]),
        (.vector, ["virus", "viral", "vector", "vectors", "lentivirus", "lentiviral", "retrovirus", "retroviral",
                   "gammaretroviral", "adenovirus", "adenoviral", "herpes", "hiv", "put the gene", "put the car gene",
                   "deliver the gene", "what s in it", "whats in it", "what is in it"]),
        (.construct, ["4 1bb", "41bb", "cd28", "costimulatory", "co stimulatory", "costimulation", "co stimulation",
                      "signalling domain", "signaling domain"]),
        (.cellSource, ["own cells", "his cells", "her cells", "my cells", "donor", "donor cells", "whose cells",
                       "autologous", "allogeneic", "genetically", "genetically change", "genetically modified",
                       "engineered", "modified", "change the cells", "bone marrow transplant"]),
        (.mechanism, ["how does it work", "how do they work", "how it works", "how does", "what do they do",
                      "what do they actually do", "what is it", "what s in it", "whats in it", "what is in it",
                      "work for", "eats the tumour", "eats the tumor", "kill", "kills", "mechanism", "normal cells",
                      "healthy cells", "is it a vaccine", "a vaccine", "is a vaccine"]),
        (.administration, ["how is it given", "how are they given", "how is given", "how do they give", "how they give",
                           "how it s given", "how is aucatzyl given", "given", "infusion", "infusions", "infused", "drip",
                           "how often", "how many treatments", "how many doses", "how many times", "split", "doses",
                           "injection", "injected", "injections", "schedule", "monthly", "weekly", "once", "one time",
                           "single", "into the bladder", "catheter"]),
        (.setting, ["where is it given", "inpatient", "outpatient", "hospital stay", "how long does it take",
                    "manufacturing", "made", "wait", "waiting", "bridging", "how long", "certified centre", "certified center"]),
        (.boxedWarning, ["boxed warning", "black box", "warning", "warnings"]),
        (.rems, ["rems", "risk evaluation"]),
        (.classWarning, ["another cancer", "second cancer", "new cancer", "secondary cancer", "secondary malignancy",
                         "t cell cancer", "t cell lymphoma", "t cell malignancy", "hlh", "parkinson", "parkinsons",
                         "parkinsonism", "false positive", "hiv test"]),
        (.sideEffects, ["side effect", "side effects", "risk", "risks", "dangerous", "safe", "toxicity", "toxic",
                        "what can go wrong", "complications", "cause"]),
        (.monitoring, ["stay near", "stay close", "stay nearby", "nearby", "near the hospital", "drive", "driving",
                       "follow up", "follow-up", "monitoring", "monitored", "check ups", "checkups", "how long stay"]),
        (.pivotalTrial, ["trial showed", "how well", "results", "response rate", "success rate", "does it work",
                         "works so well", "how effective", "effective", "evidence", "which is better", "better",
                         "cure", "cured", "remission"]),
        (.access, ["cost", "costs", "price", "how much", "pay", "paid", "insurance", "insured", "medicare", "medicaid",
                   "rupees", "covered", "coverage", "reimburse", "reimbursed", "afford", "nhs", "funded", "funding",
                   "on the nhs", "health service"]),
    ]

    /// Signs after a cell therapy that need the treatment centre now, as the labels and the
    /// ASTCT consensus grading describe CRS and ICANS (fever, rigors, low blood pressure,
    /// breathing trouble; confusion, word-finding and handwriting trouble, drowsiness,
    /// tremor, seizures) and serious infection or bleeding.
    static let emergencySigns = [
        "fever", "feverish", "temperature", "high temp", "chills", "shaking chills", "rigors", "shivering",
        "confused", "confusion", "disoriented", "seizure", "seizures", "had a fit", "having a fit", "having fits", "convulsion",
        "can t breathe", "cannot breathe", "short of breath", "trouble breathing", "breathless", "chest pain",
        "bleeding", "fainted", "fainting", "passed out", "shaking", "trouble speaking", "can t speak",
        "slurred", "can t find her words", "can t find his words", "cant find her words", "cant find his words",
        "find her words", "find his words", "find words", "word finding", "handwriting", "very drowsy", "drowsy",
        "hard to wake", "won t wake", "tremor", "low blood pressure", "dizzy",
        // The ICE score's domains (ASTCT grading of ICANS): orientation, naming, following
        // commands, writing, attention - as a relative would notice them.
        "wrong words", "wrong word", "mixing up words", "mixes up words", "jumbled words", "words jumbled", "not making sense",
        "talking nonsense", "gibberish", "what month it is", "what year it is", "what day it is", "where he is", "where she is",
        "where they are", "doesn t know where", "didn t know where", "doesn t recognise", "didn t recognise", "doesn t recognize",
        "didn t recognize", "can t name", "couldn t name", "can t write", "couldn t write", "can t follow", "not responding",
        "unresponsive", "can t stay awake",
    ]

    /// Words that place the symptoms after a treatment already given ("6 days ago", "since the infusion").
    static let afterTreatment = [
        "ago", "after", "since", "had", "got", "received", "infused", "infusion", "yesterday", "today", "tonight",
        "this morning", "last night", "now", "right now",
    ]
}
