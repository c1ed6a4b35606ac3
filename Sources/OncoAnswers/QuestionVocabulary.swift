import OncoKnowledge

/// The everyday words OncoAnswers listens for. These are not medical facts (those live in
/// the knowledge base); they are how people phrase questions.
enum QuestionVocabulary {
    static let geneTherapies: [TherapyModality] = [.geneTransfer, .oncolyticVirus, .carT, .tcrT]
    static let cellTherapies: [TherapyModality] = [.carT, .tcrT, .til, .nkCell, .virusSpecificTCell, .transplant]
    /// Words for treatment families, beyond the approach names in the knowledge base.
    /// "Gene therapy" and "cell therapy" are umbrellas: regulators count CAR-T and TCR-T
    /// as both, and viruses that carry genes as gene therapies (see `cell-vs-gene-therapy`).
    static let modalityTerms: [(String, [TherapyModality])] = {
        let gene = geneTherapies, cell = cellTherapies
        var terms: [(String, [TherapyModality])] = [
            ("car t", [.carT]), ("cart", [.carT]), ("car t cell", [.carT]), ("car t cells", [.carT]),
            ("car t cell therapy", [.carT]), ("car t therapy", [.carT]), ("chimeric antigen receptor", [.carT]),
            ("tcr t", [.tcrT]), ("tcr", [.tcrT]), ("t cell receptor", [.tcrT]), ("tcr therapy", [.tcrT]),
            ("til", [.til]), ("tils", [.til]), ("til therapy", [.til]),
            ("tumor infiltrating lymphocytes", [.til]), ("tumour infiltrating lymphocytes", [.til]),
            ("nk cells", [.nkCell]), ("nk cell", [.nkCell]), ("car nk", [.nkCell]), ("natural killer", [.nkCell]),
            ("oncolytic", [.oncolyticVirus]), ("oncolytic virus", [.oncolyticVirus]),
            ("oncolytic viruses", [.oncolyticVirus]), ("virotherapy", [.oncolyticVirus]),
            ("gene transfer", [.geneTransfer]), ("crispr", [.crisprEdited]), ("gene editing", [.crisprEdited]),
            ("gene edited", [.crisprEdited]), ("vaccine", [.vaccine]), ("vaccines", [.vaccine]),
            ("bispecific", [.bispecific]), ("bispecifics", [.bispecific]), ("bispecific antibodies", [.bispecific]),
            ("t cell engager", [.bispecific]), ("t cell engagers", [.bispecific]),
            ("stem cell transplant", [.transplant]), ("bone marrow transplant", [.transplant]),
            ("transplant", [.transplant]), ("checkpoint inhibitor", [.checkpointInhibitor]),
            ("checkpoint inhibitors", [.checkpointInhibitor]), ("targeted therapy", [.targetedTherapy]),
        ]
        for word in ["gene therapy", "gene therapies", "gene treatment"] { terms.append((word, gene)) }
        for word in ["cell therapy", "cell therapies", "cellular therapy", "immune cell therapy"] { terms.append((word, cell)) }
        return terms
    }()

    /// Place names and regulators. "US" only counts in capitals (not the word "us").
    static let regionTerms: [(String, Region)] = {
        var terms: [(String, Region)] = [
            ("us", .us), ("united states", .us), ("usa", .us), ("u s", .us), ("america", .us), ("american", .us), ("fda", .us),
            ("europe", .eu), ("european", .eu), ("european union", .eu), ("eu", .eu), ("ema", .eu),
            ("uk", .uk), ("united kingdom", .uk), ("britain", .uk), ("england", .uk), ("scotland", .uk), ("mhra", .uk), ("nhs", .uk),
            ("china", .cn), ("chinese", .cn), ("nmpa", .cn), ("中国", .cn),
            ("japan", .jp), ("japanese", .jp), ("pmda", .jp),
            ("canada", .ca), ("canadian", .ca), ("australia", .au), ("australian", .au), ("tga", .au),
            ("korea", .kr), ("south korea", .kr), ("korean", .kr), ("switzerland", .ch), ("swiss", .ch),
            ("india", .in), ("indian", .in), ("cdsco", .in),
        ]
        for country in ["mexico", "brazil", "argentina", "colombia", "chile", "peru", "russia", "turkey", "israel",
                        "egypt", "south africa", "nigeria", "pakistan", "indonesia", "thailand", "vietnam",
                        "philippines", "malaysia", "singapore", "saudi arabia", "uae", "dubai", "iran", "new zealand",
                        "taiwan", "hong kong", "norway", "iceland", "ukraine"] {
            terms.append((country, .other))
        }
        for country in ["germany", "deutschland", "espana", "spanien", "allemagne", "italia", "france", "spain", "italy", "netherlands", "belgium", "austria",
                        "sweden", "poland", "portugal", "ireland", "denmark", "finland", "greece"] {
            terms.append((country, .eu))
        }
        return terms
    }()

    /// Short abbreviations that are also everyday words: matched only when written in capitals.
    static let capitalsOnly: Set<String> = ["us", "all", "aa", "ps", "lot", "car", "int", "mm", "wm", "fl", "tce", "dmg", "eu", "tga"]

    static let intentPhrases: [QuestionIntent: [String]] = [
        .howItWorks: ["how does", "how do", "work", "works", "working", "mechanism", "how is it made", "what does it do"],
        .approval: ["approved", "approval", "approve", "available", "availability", "licensed", "licence", "license",
                    "authorised", "authorized", "authorisation", "authorization", "is there a", "is there an", "is there any",
                    "can t get", "cannot get", "can he get", "can she get", "can my", "get it in", "on the nhs",
                    "why can t", "why cannot", "why isn t", "why is there no", "why are there no", "why not",
                    "are there any", "offered", "used for", "use for", "work for", "works for", "legal"],
        .comparison: ["vs", "versus", "compare", "compared", "comparison", "difference", "differences", "differ",
                      "different from", "better than", "better", "choose", "choice", "instead of", "rather than",
                      "alternative to", "or a", "or an", "same thing as", "the same as", "same as", "is it like"],
        .eligibility: ["eligible", "eligibility", "qualify", "qualifies", "candidate", "can i get", "can i have",
                       "can i even get", "could i get", "could i use", "can i use", "could i have", "for me",
                       "for my son", "for my daughter", "for my husband", "for my wife", "for my dad", "for my mom",
                       "for my mother", "for my father",
                       "can i receive", "too old", "too young", "age limit", "years old", "year old", "criteria",
                       "requirements", "who can", "relapsed after", "after a transplant", "after transplant",
                       "after my transplant", "hla type", "age", "children", "child", "kids", "kid", "paediatric",
                       "pediatric", "teenager", "teenagers", "young adults", "my son", "my daughter"],
        .sideEffects: ["side effect", "side effects", "risk", "risks", "safe", "safety", "toxicity", "toxic",
                       "dangerous", "danger", "complication", "complications", "adverse", "die", "death", "deaths",
                       "cause another cancer", "second cancer", "another cancer"],
        .logistics: ["how long", "stay", "near the hospital", "close to the hospital", "drive", "driving", "travel",
                     "lodging", "process", "steps", "timeline", "weeks", "wait", "waiting", "what happens",
                     "what to expect", "hospital stay", "caregiver", "manufacturing"],
        .cost: ["cost", "costs", "price", "pay", "paying", "insurance", "medicare", "afford", "expensive", "money",
                "funding", "covered", "who pays"],
        .trials: ["trial", "trials", "study", "studies", "research", "experimental", "recruiting", "clinical trial"],
        .standardTreatment: ["standard", "standard of care", "usual treatment", "treatment options", "options",
                             "treated", "first line", "what treatments", "other treatments", "alternatives",
                             "how is it treated"],
        .outcomes: ["survival", "survive", "success rate", "cure rate", "response rate", "life expectancy",
                    "prognosis", "how long will i live", "chance", "chances", "cure", "cures", "cured", "odds"],
        .questionsToAsk: ["questions to ask", "questions should i ask", "what should i ask", "what to ask",
                          "questions for my doctor", "questions for my oncologist", "ask my doctor", "ask my oncologist",
                          "ask my oncology team"],
        .definition: ["what is", "what s", "whats", "what are", "what does", "mean", "meaning", "define",
                      "definition", "explain", "tell me about"],
    ]

    /// Checked in this order; the first that matches decides the concern.
    static let concernPhrases: [(Concern, [String])] = [
        (.ruleEvasion, ["fake", "faking", "lie about", "lie to", "pretend", "falsify", "forge", "hide my",
                        "skip the queue", "jump the queue", "skip the line", "cut the line", "jump the line",
                        "skip the waiting list", "jump the waiting list", "without a prescription",
                        "without prescription", "no prescription", "black market", "get around the", "bypass",
                        "cheat", "smuggle", "trick the", "lie on"]),
        (.dosing, ["dose", "doses", "dosage", "dosing", "mg", "milligrams", "how many pills", "how much should i take",
                   "how much to take", "overdose", "how much should he get", "how much should she get",
                   "how much should i get", "how much should he take", "how much should she take", "how often should he take",
                   "how often should she take", "how often should i take", "how many mg", "what dose"]),
        (.changeTreatment, ["stop taking", "stop my", "should i stop", "can i stop", "quit my", "quit taking",
                            "skip my", "stop treatment", "stop chemo", "start taking", "should i start",
                            "come off", "discontinue", "pause my", "refuse chemo", "refuse treatment", "can i take",
                            "should i take", "is it ok to take", "is it safe to take", "can i give him", "can i give her"]),
        (.interpretation, ["my scan results", "my scan result", "my results", "my test results", "my blood test", "my blood results",
                           "my pet scan", "my ct scan", "my mri", "my biopsy result", "my pathology report", "my lab results",
                           "are my results", "is my scan", "read my report", "interpret my", "what do my results mean"]),
        (.personalDecision, ["should i", "should my", "should we", "do you recommend", "would you recommend",
                             "what would you do", "is it worth it", "which one should", "best for me",
                             "right for me", "what should i choose", "what should i do"]),
    ]

    /// Questions about the treatment journey as a whole.
    static let processPhrases = ["process", "steps", "timeline", "what happens", "what to expect", "how long does it take",
                                 "how long will it take", "how long does the whole", "how long is the whole", "start to finish",
                                 "from start", "whole thing", "how does it go", "walk me through"]

    /// The wait between cell collection and infusion, as people describe it.
    static let manufacturingWait = ["while they make", "while they are making", "while they re making", "being made", "being manufactured",
                                    "manufacturing", "while waiting", "while i wait", "while we wait", "waiting for the cells",
                                    "waiting for my cells", "waiting for his cells", "waiting for her cells", "before the infusion",
                                    "before infusion", "before apheresis", "before collection", "until the infusion", "bridging"]

    /// "Should I ask …", "should I expect …": not a decision, so not declined.
    static let harmlessShould = ["should i ask", "should i know", "should i expect", "should i bring", "should i prepare",
                                 "should i tell", "should i look", "should i plan"]

    /// Symptoms that need the care team now, when they are happening to someone.
    static let urgentSymptoms = ["fever", "temperature", "confused", "confusion", "seizure", "had a fit", "having a fit", "having fits", "can t breathe",
                                 "cannot breathe", "short of breath", "chest pain", "bleeding", "fainted", "shaking",
                                 "trouble speaking", "can t speak", "very drowsy"]
    static let happeningNow = ["i have", "i ve got", "i feel", "i am", "i m", "he has", "she has", "he is", "she is",
                               "right now", "today", "tonight", "since yesterday", "my husband", "my wife", "my mother",
                               "my father", "my son", "my daughter", "my mum", "my mom", "my dad"]

    /// First words of a question asked as yes or no.
    static let yesNoOpeners: Set<String> = ["is", "are", "can", "could", "does", "do", "did", "will", "would", "has",
                                            "have", "am", "may", "was", "were", "ist", "esta"]

    /// Buying a therapy abroad or online is declined as getting around the rules.
    static let purchaseWords: Set<String> = ["buy", "purchase", "order"]
    static let purchaseContext = ["abroad", "online", "overseas", "without", "another country", "black market"]

    /// Diseases outside oncology, and subjects outside health.
    static let animalWords = ["my dog", "my cat", "my horse", "my pet", "our dog", "our cat", "dog s", "cat s", "veterinary",
                              "vet", "vets", "canine", "feline", "puppy", "kitten"]
    static let outOfScopeTerms = [
        "diabetes", "covid", "coronavirus", "sickle cell", "haemophilia", "hemophilia", "lupus", "alzheimer",
        "alzheimers", "hiv", "multiple sclerosis", "arthritis", "rheumatoid", "thalassemia", "thalassaemia",
        "spinal muscular atrophy", "muscular dystrophy", "duchenne", "cystic fibrosis", "autism", "obesity",
        "weight loss", "asthma", "migraine", "hair loss", "erectile", "weather", "recipe", "bitcoin", "football",

    ]

    /// Phrases that report what someone else said; the answer checks them, never repeats them.
    static let claimPhrases = [
        "my doctor said", "doctor said", "doctor told", "told me", "i read", "i heard", "someone said",
        "they said", "said that", "is it true", "i saw", "my friend said", "says that", "claims",
    ]

    /// A transplant the person already had, as opposed to one they are asking about.
    static let priorTransplantPhrases = [
        "after a transplant", "after my transplant", "after transplant", "had a transplant", "post transplant",
        "after a stem cell transplant", "after my stem cell transplant", "after a bone marrow transplant",
        "plus transplant", "and transplant", "then transplant", "then a transplant", "followed by transplant",
        "kidney transplant", "liver transplant", "heart transplant", "lung transplant", "organ transplant",
        "had a kidney transplant", "transplant and", "transplant then",
    ]
}

extension QuestionVocabulary {
    /// Everyday words never read as a misspelt medical name ("cancer" is not "canker").
    static let commonWords: Set<String> = [
        "cancer", "cancers", "tumor", "tumour", "tumors", "tumours", "therapy", "therapies", "treatment",
        "treatments", "approved", "about", "after", "before", "there", "where", "which", "would", "could",
        "should", "doctor", "hospital", "people", "months", "weeks", "years", "relapsed", "again", "other",
        "what", "really", "better", "works", "trial", "trials", "study", "studies", "cells", "option",
        "options", "stage", "china", "japan", "europe", "india", "korea", "canada", "still", "since",
        "first", "second", "third", "lines", "blood", "needs", "going", "drive", "driving", "close",
        "staying", "travel", "safety", "chance", "chances", "works", "their", "these", "those", "being",
        "gene", "genes", "virus", "viruses", "brain", "liver", "breast", "colon", "bladder", "prostate",
        "ovary", "cervix", "kidney", "stomach", "pancreas", "skin", "lymph", "nodes", "marrow",
    ]
}

extension QuestionVocabulary {
    /// Words that carry no meaning of their own when comparing a question with an FAQ,
    /// or that start or end a phrase that is not a name ("for breast cancer").
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in",
        "is", "it", "me", "my", "of", "on", "or", "the", "to", "what", "when", "which", "who", "why", "will",
        "with", "work", "works", "there", "any", "get", "this", "that", "after", "before", "about",
    ]

    /// Words too common in OncoNav's questions to tell one FAQ from another.
    /// Words every safety topic shares, which say nothing about which topic is asked.
    static let safetyGenericWords: Set<String> = ["side", "effect", "effects", "risk", "risks", "safe", "safety", "after",
                                                   "label", "labels", "infusion", "product", "products"]
    static let genericWords: Set<String> = ["car", "t", "cell", "cells", "therapy", "therapies", "cancer", "treatment"]
}

extension QuestionVocabulary {
    /// Words that ask about children and young people.
    static let youngPeople = ["children", "child", "kids", "kid", "paediatric", "pediatric", "teenager", "teenagers",
                              "young adults", "my son", "my daughter", "young"]
}
