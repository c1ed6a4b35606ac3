import Foundation

extension ClinicalLexicon {
    /// A small English default so OncoRecords works without the knowledge base.
    /// Not exhaustive: the knowledge base supersedes it. Concept ids follow the knowledge
    /// base's (`knowledge/ontology`, `drugs`, `products`: e.g. "dlbcl-nos", "r-chop",
    /// "yescarta"); cell-therapy products are identified by the product id, drugs by INN.
    public static let builtIn = ClinicalLexicon(entries: builtInCancers + builtInHistology + builtInDrugs
        + builtInRegimens + builtInCellTherapyProducts + builtInBiomarkers)

    private static func group(_ kind: Kind, _ conceptID: String, _ display: String, _ terms: [String]) -> [Entry] {
        ([display] + terms).map { Entry(term: $0, conceptID: conceptID, kind: kind, displayName: display) }
    }

    static let builtInCancers: [Entry] = [
        group(.cancer, "dlbcl-nos", "diffuse large B-cell lymphoma", ["DLBCL", "diffuse large B cell lymphoma", "DLBCL NOS"]),
        group(.cancer, "large-b-cell-lymphoma", "large B-cell lymphoma", ["LBCL"]),
        group(.cancer, "hgbl", "high-grade B-cell lymphoma", ["HGBL", "double-hit lymphoma", "triple-hit lymphoma"]),
        group(.cancer, "pmbcl", "primary mediastinal B-cell lymphoma", ["PMBCL", "primary mediastinal large B-cell lymphoma"]),
        group(.cancer, "follicular-lymphoma", "follicular lymphoma", ["FL"]),
        group(.cancer, "mantle-cell-lymphoma", "mantle cell lymphoma", ["MCL", "mantle-cell lymphoma"]),
        group(.cancer, "marginal-zone-lymphoma", "marginal zone lymphoma", ["MZL"]),
        group(.cancer, "hodgkin-lymphoma", "Hodgkin lymphoma", ["classical Hodgkin lymphoma", "Hodgkin's lymphoma", "Hodgkin disease"]),
        group(.cancer, "b-all", "B-cell acute lymphoblastic leukaemia", ["B-ALL", "B-cell acute lymphoblastic leukemia", "acute lymphoblastic leukemia", "acute lymphoblastic leukaemia", "ALL"]),
        group(.cancer, "cll-sll", "chronic lymphocytic leukaemia", ["CLL", "chronic lymphocytic leukemia", "small lymphocytic lymphoma", "SLL"]),
        group(.cancer, "acute-myeloid-leukaemia", "acute myeloid leukaemia", ["AML", "acute myeloid leukemia"]),
        group(.cancer, "multiple-myeloma", "multiple myeloma", ["myeloma", "plasma cell myeloma", "MM"]),
        group(.cancer, "nsclc", "non-small cell lung cancer", ["NSCLC", "non-small-cell lung cancer", "non small cell lung cancer"]),
        group(.cancer, "lung-adenocarcinoma", "lung adenocarcinoma", ["adenocarcinoma of the lung", "LUAD"]),
        group(.cancer, "lung-squamous-cell-carcinoma", "lung squamous cell carcinoma", ["squamous cell carcinoma of the lung"]),
        group(.cancer, "sclc", "small cell lung cancer", ["SCLC", "small-cell lung cancer"]),
        group(.cancer, "melanoma", "melanoma", ["malignant melanoma", "cutaneous melanoma"]),
        group(.cancer, "uveal-melanoma", "uveal melanoma", []),
        group(.cancer, "breast-cancer", "breast cancer", ["carcinoma of breast", "breast carcinoma", "malignant neoplasm of breast", "infiltrating duct carcinoma of breast", "invasive ductal carcinoma of breast", "invasive ductal carcinoma"]),
        group(.cancer, "synovial-sarcoma", "synovial sarcoma", []),
        group(.cancer, "glioblastoma", "glioblastoma", ["GBM", "glioblastoma multiforme"]),
        group(.cancer, "hepatocellular-carcinoma", "hepatocellular carcinoma", ["HCC"]),
        group(.cancer, "ovarian-cancer", "ovarian cancer", ["ovarian carcinoma", "high-grade serous ovarian carcinoma"]),
        group(.cancer, "colorectal-cancer", "colorectal cancer", ["colorectal carcinoma", "colon cancer", "rectal cancer", "CRC"]),
        group(.cancer, "prostate-cancer", "prostate cancer", ["prostate adenocarcinoma", "carcinoma of prostate"]),
        group(.cancer, "pancreatic-cancer", "pancreatic cancer", ["pancreatic adenocarcinoma", "pancreatic ductal adenocarcinoma", "PDAC"]),
        group(.cancer, "cervical-cancer", "cervical cancer", ["carcinoma of the cervix"]),
        group(.cancer, "head-and-neck-cancer", "head and neck squamous cell carcinoma", ["HNSCC", "head and neck cancer"]),
        group(.cancer, "neuroblastoma", "neuroblastoma", []),
    ].flatMap { $0 }

    static let builtInHistology: [Entry] = [
        group(.histology, "gcb", "germinal center B-cell type", ["germinal centre B-cell type", "GCB type", "GCB subtype", "germinal center B-cell like"]),
        group(.histology, "abc", "activated B-cell type", ["non-germinal center B-cell type", "non-GCB type", "ABC type", "activated B-cell like"]),
        group(.histology, "adenocarcinoma", "adenocarcinoma", []),
        group(.histology, "squamous-cell-carcinoma", "squamous cell carcinoma", []),
    ].flatMap { $0 }

    static let builtInDrugs: [Entry] = [
        "rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone", "prednisolone", "etoposide",
        "ifosfamide", "carboplatin", "cisplatin", "oxaliplatin", "cytarabine", "gemcitabine", "bendamustine",
        "methotrexate", "fludarabine", "ibrutinib", "acalabrutinib", "zanubrutinib", "venetoclax", "lenalidomide",
        "pomalidomide", "thalidomide", "bortezomib", "carfilzomib", "daratumumab", "isatuximab", "dexamethasone",
        "polatuzumab vedotin", "tafasitamab", "loncastuximab tesirine", "glofitamab", "epcoritamab", "mosunetuzumab",
        "blinatumomab", "inotuzumab ozogamicin", "teclistamab", "talquetamab", "elranatamab", "brentuximab vedotin",
        "pembrolizumab", "nivolumab", "ipilimumab", "atezolizumab", "durvalumab", "osimertinib", "erlotinib",
        "gefitinib", "alectinib", "lorlatinib", "crizotinib", "pemetrexed", "docetaxel", "paclitaxel", "trastuzumab",
        "pertuzumab", "tamoxifen", "letrozole", "anastrozole", "exemestane", "fulvestrant", "palbociclib", "ribociclib",
        "abemaciclib", "alpelisib", "capecitabine", "leuprolide", "zoledronic acid", "dabrafenib", "trametinib",
        "imatinib", "dasatinib", "ponatinib", "azacitidine", "decitabine", "melphalan", "busulfan", "carmustine",
    ].map { Entry(term: $0, conceptID: $0.replacingOccurrences(of: " ", with: "-"), kind: .drug) }

    static let builtInRegimens: [Entry] = [
        Entry(term: "R-CHOP", conceptID: "r-chop", kind: .regimen, components: ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"]),
        Entry(term: "R-CHOEP", conceptID: "r-choep", kind: .regimen, components: ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "etoposide", "prednisone"]),
        Entry(term: "CHOP", conceptID: "chop", kind: .regimen, components: ["cyclophosphamide", "doxorubicin", "vincristine", "prednisone"]),
        Entry(term: "DA-EPOCH-R", conceptID: "r-epoch", kind: .regimen, components: ["etoposide", "prednisone", "vincristine", "cyclophosphamide", "doxorubicin", "rituximab"]),
        Entry(term: "Pola-R-CHP", conceptID: "pola-r-chp", kind: .regimen, components: ["polatuzumab-vedotin", "rituximab", "cyclophosphamide", "doxorubicin", "prednisone"]),
        Entry(term: "R-ICE", conceptID: "r-ice", kind: .regimen, components: ["rituximab", "ifosfamide", "carboplatin", "etoposide"]),
        Entry(term: "R-DHAP", conceptID: "r-dhap", kind: .regimen, components: ["rituximab", "dexamethasone", "cytarabine", "cisplatin"]),
        Entry(term: "R-GDP", conceptID: "r-gdp", kind: .regimen, components: ["rituximab", "gemcitabine", "dexamethasone", "cisplatin"]),
        Entry(term: "R-GemOx", conceptID: "r-gemox", kind: .regimen, components: ["rituximab", "gemcitabine", "oxaliplatin"]),
        Entry(term: "BR", conceptID: "br", kind: .regimen, components: ["bendamustine", "rituximab"]),
        Entry(term: "bendamustine-rituximab", conceptID: "br", kind: .regimen, components: ["bendamustine", "rituximab"]),
        Entry(term: "Pola-BR", conceptID: "pola-br", kind: .regimen, components: ["polatuzumab-vedotin", "bendamustine", "rituximab"]),
        Entry(term: "R-CVP", conceptID: "r-cvp", kind: .regimen, components: ["rituximab", "cyclophosphamide", "vincristine", "prednisone"]),
        Entry(term: "BEAM", conceptID: "beam", kind: .regimen, components: ["carmustine", "etoposide", "cytarabine", "melphalan"]),
        Entry(term: "VRd", conceptID: "vrd", kind: .regimen, components: ["bortezomib", "lenalidomide", "dexamethasone"]),
        Entry(term: "RVd", conceptID: "vrd", kind: .regimen, components: ["bortezomib", "lenalidomide", "dexamethasone"]),
        Entry(term: "Dara-VRd", conceptID: "dara-vrd", kind: .regimen, components: ["daratumumab", "bortezomib", "lenalidomide", "dexamethasone"]),
        Entry(term: "KRd", conceptID: "krd", kind: .regimen, components: ["carfilzomib", "lenalidomide", "dexamethasone"]),
        Entry(term: "DRd", conceptID: "drd", kind: .regimen, components: ["daratumumab", "lenalidomide", "dexamethasone"]),
        Entry(term: "DPd", conceptID: "dpd", kind: .regimen, components: ["daratumumab", "pomalidomide", "dexamethasone"]),
        Entry(term: "Hyper-CVAD", conceptID: "hyper-cvad", kind: .regimen, components: ["cyclophosphamide", "vincristine", "doxorubicin", "dexamethasone"]),
        Entry(term: "ABVD", conceptID: "abvd", kind: .regimen, components: ["doxorubicin", "bleomycin", "vinblastine", "dacarbazine"]),
        Entry(term: "FOLFOX", conceptID: "folfox", kind: .regimen, components: ["fluorouracil", "leucovorin", "oxaliplatin"]),
        Entry(term: "carboplatin/pemetrexed", conceptID: "carboplatin-pemetrexed", kind: .regimen, components: ["carboplatin", "pemetrexed"]),
    ]

    static let builtInCellTherapyProducts: [Entry] = [
        ("yescarta", "axicabtagene ciloleucel", "CD19", ["axi-cel", "Yescarta"]),
        ("kymriah", "tisagenlecleucel", "CD19", ["tisa-cel", "Kymriah"]),
        ("breyanzi", "lisocabtagene maraleucel", "CD19", ["liso-cel", "Breyanzi"]),
        ("tecartus", "brexucabtagene autoleucel", "CD19", ["brexu-cel", "Tecartus"]),
        ("aucatzyl", "obecabtagene autoleucel", "CD19", ["obe-cel", "Aucatzyl"]),
        ("carteyva", "relmacabtagene autoleucel", "CD19", ["relma-cel"]),
        ("abecma", "idecabtagene vicleucel", "BCMA", ["ide-cel", "Abecma"]),
        ("carvykti", "ciltacabtagene autoleucel", "BCMA", ["cilta-cel", "Carvykti"]),
        ("fucaso", "equecabtagene autoleucel", "BCMA", ["eque-cel", "Fucaso"]),
        ("tecelra", "afamitresgene autoleucel", "MAGE-A4", ["afami-cel", "Tecelra"]),
        ("amtagvi", "lifileucel", nil, ["Amtagvi"]),
    ].flatMap { id, name, target, synonyms in
        ([name] + synonyms).map { Entry(term: $0, conceptID: id, kind: .cellTherapyProduct, displayName: name, target: target) }
    }

    static let builtInBiomarkers: [Entry] = [
        ("CD19", []), ("CD20", []), ("CD22", []), ("CD30", []), ("CD79b", []), ("CD10", []), ("CD5", []), ("CD3", []),
        ("BCMA", ["B-cell maturation antigen"]), ("GPRC5D", []),
        ("EGFR", []), ("ALK", []), ("ROS1", []), ("KRAS", []), ("NRAS", []), ("BRAF", []), ("MET", []), ("RET", []),
        ("NTRK", ["NTRK1", "NTRK2", "NTRK3"]), ("HER2", ["ERBB2", "HER-2", "HER2/neu"]), ("PIK3CA", []), ("ESR1", []),
        ("ER", ["estrogen receptor", "oestrogen receptor"]), ("PR", ["progesterone receptor"]),
        ("PD-L1", ["PDL1", "PD L1"]), ("TP53", ["p53"]), ("MYC", ["c-MYC"]), ("BCL2", ["BCL-2"]), ("BCL6", ["BCL-6"]),
        ("MYD88", []), ("IDH1", []), ("IDH2", []), ("FLT3", []), ("NPM1", []), ("BRCA1", []), ("BRCA2", []),
        ("MSI", ["microsatellite instability", "MSI-H"]), ("TMB", ["tumor mutational burden", "tumour mutational burden"]),
        ("Ki-67", ["Ki67", "MIB-1"]), ("MAGE-A4", []), ("NY-ESO-1", []), ("STK11", []), ("CCND1", []),
        ("FGFR1", []), ("MDM2", []), ("HLA-A", []), ("HLA-B", []), ("HLA-C", []),
        // Haematopathology panels (immunophenotype, fusion genes, lymphoid/myeloid NGS).
        ("BCR-ABL1", ["BCR::ABL1", "BCR-ABL", "BCR/ABL1", "BCR/ABL", "Philadelphia chromosome", "Philadelphia"]), ("MUM1", ["IRF4", "MUM-1"]),
        ("CD4", []), ("CD7", []), ("CD8", []), ("CD13", []), ("CD15", []), ("CD23", []), ("CD25", []), ("CD33", []),
        ("CD34", []), ("CD38", []), ("CD45", []), ("CD56", []), ("CD79a", []), ("CD117", []), ("CD123", []),
        ("CD138", []), ("CD200", []), ("TdT", []), ("MPO", ["myeloperoxidase"]), ("HLA-DR", []), ("SOX11", []),
        ("cyclin D1", []), ("EBER", ["EBV-encoded RNA"]), ("KMT2A", ["MLL"]), ("CRLF2", []), ("IKZF1", []),
        ("NOTCH1", []), ("NSD2", []), ("PLCG2", []), ("BTK", []), ("CDKN2A", ["p16"]), ("ATM", []), ("SF3B1", []),
        ("EZH2", []), ("CREBBP", []), ("KMT2D", []), ("DNMT3A", []), ("TET2", []), ("ASXL1", []), ("RUNX1", []),
        ("CEBPA", []), ("JAK2", []), ("CALR", []), ("IGHV", []), ("FGFR3", []), ("MAF", []), ("CKS1B", []),
        // Solid-tumour pathology and predictive markers.
        ("TTF-1", ["TTF1", "NKX2-1"]), ("p40", []), ("napsin A", []), ("CK7", []), ("CK20", []), ("SOX10", []),
        ("S100", []), ("Melan-A", ["MART-1"]), ("HMB-45", []), ("ERBB3", []), ("NRG1", []), ("FGFR2", []),
        ("KIT", []), ("PDGFRA", []), ("MMR", ["mismatch repair"]), ("MLH1", []), ("MSH2", []), ("MSH6", []), ("PMS2", []),
        ("POLE", []), ("PTEN", []), ("CDK4", []), ("NF1", []), ("SMARCA4", []), ("KEAP1", []), ("CLDN18.2", ["claudin 18.2"]),
    ].flatMap { symbol, synonyms in
        ([symbol] + synonyms).map {
            Entry(term: $0, conceptID: symbol == "MSI" ? "msi-h" : symbol.lowercased(), kind: .biomarker, displayName: symbol)
        }
    }
}
