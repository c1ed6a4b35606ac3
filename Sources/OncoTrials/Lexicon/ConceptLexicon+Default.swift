import Foundation
import OncoKnowledge

extension ConceptLexicon {
    /// Group concept: any solid tumour.
    public static let solidTumourGroup = "group:solid-tumour"
    /// Group concept: any haematologic malignancy.
    public static let haematologicGroup = "group:haematologic-malignancy"

    /// Pseudo-concept for "another / second / prior malignancy" criteria.
    public static let otherMalignancy = "other-malignancy"

    /// A small built-in lexicon of common oncology terms so parsing, classification and
    /// search work without the knowledge base. Concept IDs are slugs; the knowledge base
    /// supplies its own IDs when it builds a lexicon.
    public static let oncologyDefault: ConceptLexicon = {
        var entries: [Entry] = []
        func add(_ kind: Kind, _ id: String, _ terms: [String], _ modality: TherapyModality? = nil) {
            for term in terms { entries.append(Entry(term: term, conceptID: id, kind: kind, modality: modality)) }
        }
        // Cancers (id: slug; subtypes are related by the injected isA, not here).
        add(.cancer, solidTumourGroup, ["solid tumor", "solid tumors", "solid malignancy", "solid malignancies",
                                        "advanced solid tumor", "advanced solid tumors", "solid cancer", "solid cancers"])
        add(.cancer, haematologicGroup, ["hematologic malignancy", "hematologic malignancies", "hematological malignancy",
                                         "hematological malignancies", "blood cancer", "blood cancers", "hematologic cancer",
                                         "hematologic neoplasm", "hematologic neoplasms"])
        add(.cancer, "lymphoma", ["lymphoma", "lymphomas", "malignant lymphoma"])
        add(.cancer, "non-hodgkin-lymphoma", ["non-hodgkin lymphoma", "non-hodgkin's lymphoma", "non hodgkin lymphoma", "nhl",
                                              "b-cell non-hodgkin lymphoma", "b-nhl"])
        add(.cancer, "b-cell-lymphoma", ["b-cell lymphoma", "b cell lymphoma", "large b-cell lymphoma", "lbcl",
                                         "b-cell malignancies", "b-cell malignancy"])
        add(.cancer, "dlbcl", ["diffuse large b-cell lymphoma", "diffuse large b cell lymphoma", "dlbcl"])
        add(.cancer, "follicular-lymphoma", ["follicular lymphoma", "FL"])
        add(.cancer, "mantle-cell-lymphoma", ["mantle cell lymphoma", "mcl"])
        add(.cancer, "pmbcl", ["primary mediastinal b-cell lymphoma", "primary mediastinal large b-cell lymphoma", "pmbcl"])
        add(.cancer, "marginal-zone-lymphoma", ["marginal zone lymphoma", "mzl"])
        add(.cancer, "hodgkin-lymphoma", ["hodgkin lymphoma", "hodgkin's lymphoma", "hodgkin disease", "hodgkin's disease"])
        add(.cancer, "t-cell-lymphoma", ["t-cell lymphoma", "peripheral t-cell lymphoma", "ptcl"])
        add(.cancer, "leukemia", ["leukemia", "leukemias"])
        add(.cancer, "all", ["acute lymphoblastic leukemia", "acute lymphocytic leukemia", "b-cell acute lymphoblastic leukemia",
                             "B-ALL", "ALL"])
        add(.cancer, "aml", ["acute myeloid leukemia", "acute myelogenous leukemia", "aml"])
        add(.cancer, "cll", ["chronic lymphocytic leukemia", "small lymphocytic lymphoma", "cll", "sll"])
        add(.cancer, "cml", ["chronic myeloid leukemia", "chronic myelogenous leukemia", "cml"])
        add(.cancer, "mds", ["myelodysplastic syndrome", "myelodysplastic syndromes", "mds"])
        add(.cancer, "multiple-myeloma", ["multiple myeloma", "myeloma", "plasma cell myeloma", "MM", "RRMM"])
        add(.cancer, "lung-cancer", ["lung cancer", "lung carcinoma", "lung cancers"])
        add(.cancer, "nsclc", ["non-small cell lung cancer", "non small cell lung cancer", "non-small-cell lung cancer",
                               "non-small cell lung carcinoma", "nsclc"])
        add(.cancer, "sclc", ["small cell lung cancer", "small-cell lung cancer", "small cell lung carcinoma", "sclc"])
        add(.cancer, "breast-cancer", ["breast cancer", "breast carcinoma", "carcinoma of the breast"])
        add(.cancer, "tnbc", ["triple negative breast cancer", "triple-negative breast cancer", "tnbc"])
        add(.cancer, "melanoma", ["melanoma", "malignant melanoma", "cutaneous melanoma"])
        add(.cancer, "uveal-melanoma", ["uveal melanoma", "ocular melanoma"])
        add(.cancer, "glioblastoma", ["glioblastoma", "glioblastoma multiforme", "gbm"])
        add(.cancer, "glioma", ["glioma", "gliomas", "high-grade glioma", "diffuse midline glioma", "dipg",
                                "diffuse intrinsic pontine glioma"])
        add(.cancer, "neuroblastoma", ["neuroblastoma"])
        add(.cancer, "ovarian-cancer", ["ovarian cancer", "ovarian carcinoma"])
        add(.cancer, "pancreatic-cancer", ["pancreatic cancer", "pancreatic adenocarcinoma", "pancreatic ductal adenocarcinoma", "pdac"])
        add(.cancer, "prostate-cancer", ["prostate cancer", "prostate adenocarcinoma", "mcrpc",
                                         "metastatic castration-resistant prostate cancer"])
        add(.cancer, "colorectal-cancer", ["colorectal cancer", "colon cancer", "rectal cancer", "crc"])
        add(.cancer, "gastric-cancer", ["gastric cancer", "stomach cancer", "gastric adenocarcinoma"])
        add(.cancer, "hcc", ["hepatocellular carcinoma", "liver cancer", "hcc"])
        add(.cancer, "rcc", ["renal cell carcinoma", "kidney cancer", "rcc"])
        add(.cancer, "urothelial-cancer", ["urothelial carcinoma", "bladder cancer", "urothelial cancer"])
        add(.cancer, "head-and-neck-cancer", ["head and neck cancer", "head and neck squamous cell carcinoma", "hnscc", "scchn"])
        add(.cancer, "cervical-cancer", ["cervical cancer"])
        add(.cancer, "sarcoma", ["sarcoma", "soft tissue sarcoma", "sarcomas"])
        add(.cancer, "osteosarcoma", ["osteosarcoma"])
        add(.cancer, "mesothelioma", ["mesothelioma"])
        add(.cancer, "cholangiocarcinoma", ["cholangiocarcinoma", "biliary tract cancer"])
        add(.cancer, "esophageal-cancer", ["esophageal cancer", "esophageal carcinoma", "esophageal squamous cell carcinoma"])
        add(.cancer, "endometrial-cancer", ["endometrial cancer"])
        add(.cancer, "nasopharyngeal-carcinoma", ["nasopharyngeal carcinoma", "NPC"])
        add(.cancer, "cns-lymphoma", ["primary cns lymphoma", "central nervous system lymphoma", "pcnsl"])
        add(.cancer, "cancer", ["cancer", "malignancy", "malignancies", "carcinoma", "neoplasm", "tumor", "tumors"])

        // Products and drugs with their modality.
        add(.drug, "tisagenlecleucel", ["tisagenlecleucel", "kymriah", "ctl019"], .carT)
        add(.drug, "axicabtagene-ciloleucel", ["axicabtagene ciloleucel", "axi-cel", "yescarta"], .carT)
        add(.drug, "lisocabtagene-maraleucel", ["lisocabtagene maraleucel", "liso-cel", "breyanzi"], .carT)
        add(.drug, "brexucabtagene-autoleucel", ["brexucabtagene autoleucel", "tecartus"], .carT)
        add(.drug, "idecabtagene-vicleucel", ["idecabtagene vicleucel", "ide-cel", "abecma"], .carT)
        add(.drug, "ciltacabtagene-autoleucel", ["ciltacabtagene autoleucel", "cilta-cel", "carvykti"], .carT)
        add(.drug, "obecabtagene-autoleucel", ["obecabtagene autoleucel", "obe-cel", "aucatzyl"], .carT)
        add(.drug, "lifileucel", ["lifileucel", "amtagvi"], .til)
        add(.drug, "afamitresgene-autoleucel", ["afamitresgene autoleucel", "afami-cel", "tecelra"], .tcrT)
        add(.drug, "talimogene-laherparepvec", ["talimogene laherparepvec", "t-vec", "imlygic"], .oncolyticVirus)
        add(.drug, "nadofaragene-firadenovec", ["nadofaragene firadenovec", "adstiladrin"], .geneTransfer)
        add(.drug, "sipuleucel-t", ["sipuleucel-t", "provenge"], .vaccine)
        add(.drug, "blinatumomab", ["blinatumomab", "blincyto"], .bispecific)
        add(.drug, "teclistamab", ["teclistamab", "tecvayli"], .bispecific)
        add(.drug, "talquetamab", ["talquetamab", "talvey"], .bispecific)
        add(.drug, "elranatamab", ["elranatamab", "elrexfio"], .bispecific)
        add(.drug, "glofitamab", ["glofitamab", "columvi"], .bispecific)
        add(.drug, "epcoritamab", ["epcoritamab", "epkinly"], .bispecific)
        add(.drug, "mosunetuzumab", ["mosunetuzumab", "lunsumio"], .bispecific)
        add(.drug, "tarlatamab", ["tarlatamab", "imdelltra"], .bispecific)
        add(.drug, "tebentafusp", ["tebentafusp", "kimmtrak"], .bispecific)
        for name in ["pembrolizumab", "nivolumab", "atezolizumab", "durvalumab", "avelumab", "cemiplimab", "dostarlimab",
                     "ipilimumab", "tremelimumab", "tislelizumab", "toripalimab", "sintilimab", "camrelizumab", "relatlimab"] {
            add(.drug, name, [name], .checkpointInhibitor)
        }
        add(.drug, "pembrolizumab", ["keytruda", "mk-3475"], .checkpointInhibitor)
        add(.drug, "nivolumab", ["opdivo"], .checkpointInhibitor)
        for name in ["osimertinib", "gefitinib", "erlotinib", "afatinib", "alectinib", "crizotinib", "lorlatinib", "ibrutinib",
                     "acalabrutinib", "zanubrutinib", "venetoclax", "imatinib", "dasatinib", "olaparib", "sotorasib", "adagrasib",
                     "trastuzumab", "rituximab", "daratumumab", "cetuximab", "bevacizumab"] {
            add(.drug, name, [name], .targetedTherapy)
        }
        for name in ["cyclophosphamide", "fludarabine", "bendamustine", "lenalidomide", "pomalidomide", "thalidomide",
                     "bortezomib", "carfilzomib", "cytarabine", "cisplatin", "carboplatin", "paclitaxel", "docetaxel",
                     "pemetrexed", "gemcitabine", "doxorubicin", "etoposide", "melphalan", "temozolomide", "azacitidine",
                     "dexamethasone", "methotrexate", "vincristine"] {
            add(.drug, name, [name])
        }
        // Drug classes (used by prior-therapy criteria).
        add(.drugClass, "class:anti-cd20", ["anti-cd20", "anti-cd20 antibody", "anti-cd20 monoclonal antibody", "cd20-directed"])
        add(.drugClass, "class:anti-cd38", ["anti-cd38", "anti-cd38 antibody", "anti-cd38 monoclonal antibody", "cd38-directed"])
        add(.drugClass, "class:bcma-directed", ["bcma-directed", "bcma directed", "bcma-targeted", "anti-bcma", "bcma targeted"])
        add(.drugClass, "class:cd19-directed", ["cd19-directed", "cd19 directed", "cd19-targeted", "anti-cd19"])
        add(.drugClass, "class:anthracycline", ["anthracycline", "anthracyclines"])
        add(.drugClass, "class:platinum", ["platinum", "platinum-based chemotherapy", "platinum based chemotherapy"])
        add(.drugClass, "class:imid", ["immunomodulatory drug", "immunomodulatory agent", "IMiD", "IMiDs"])
        add(.drugClass, "class:proteasome-inhibitor", ["proteasome inhibitor", "proteasome inhibitors", "PI"])
        add(.drugClass, "class:btk-inhibitor", ["btk inhibitor", "btk inhibitors", "btki"])
        add(.drugClass, "class:checkpoint-inhibitor", ["checkpoint inhibitor", "checkpoint inhibitors", "immune checkpoint inhibitor",
                                                       "anti-pd-1", "anti-pd-l1", "pd-1 inhibitor", "pd-l1 inhibitor",
                                                       "anti-ctla-4"])
        add(.drugClass, "class:egfr-tki", ["egfr tki", "egfr tyrosine kinase inhibitor", "egfr-tki"])
        add(.drugClass, "class:chemotherapy", ["chemotherapy", "cytotoxic chemotherapy", "systemic chemotherapy"])
        // Modalities (for query expansion).
        add(.modality, "modality:car-t", ["car-t", "car t", "car t-cell", "car-t cell", "car t cell", "CART",
                                          "chimeric antigen receptor", "chimeric antigen receptor t cell"], .carT)
        add(.modality, "modality:tcr-t", ["tcr-t", "tcr t", "t cell receptor", "tcr engineered t cell"], .tcrT)
        add(.modality, "modality:til", ["TIL", "TILs", "tumor infiltrating lymphocytes", "tumor-infiltrating lymphocyte"], .til)
        add(.modality, "modality:nk", ["nk cell", "nk cells", "natural killer cell", "natural killer cells", "car-nk"], .nkCell)
        add(.modality, "modality:oncolytic-virus", ["oncolytic virus", "oncolytic viruses", "oncolytic virotherapy"], .oncolyticVirus)
        add(.modality, "modality:gene-therapy", ["gene therapy", "gene transfer"], .geneTransfer)
        add(.modality, "modality:bispecific", ["bispecific", "bispecific antibody", "t-cell engager", "BiTE"], .bispecific)
        add(.modality, "modality:transplant", ["stem cell transplant", "stem cell transplantation", "hsct",
                                               "hematopoietic stem cell transplantation", "bone marrow transplant"], .transplant)
        // Biomarkers.
        let markers: [(String, [String])] = [
            ("CD19", ["cd19"]), ("CD20", ["cd20"]), ("CD22", ["cd22"]), ("CD30", ["cd30"]), ("CD33", ["cd33"]),
            ("CD38", ["cd38"]), ("CD123", ["cd123"]), ("CD7", ["cd7"]), ("BCMA", ["bcma"]), ("GPRC5D", ["gprc5d"]),
            ("EGFR", ["egfr"]), ("ALK", ["alk"]), ("ROS1", ["ros1"]), ("KRAS", ["kras"]), ("NRAS", ["nras"]),
            ("BRAF", ["braf"]), ("HER2", ["her2", "erbb2", "her-2"]), ("PD-L1", ["pd-l1", "pdl1"]), ("MET", ["MET", "c-MET"]),
            ("RET", ["RET"]), ("NTRK", ["ntrk"]), ("BRCA1", ["brca1"]), ("BRCA2", ["brca2"]), ("BRCA", ["brca"]),
            ("MSI-H", ["msi-h", "msi high", "microsatellite instability-high"]), ("dMMR", ["dmmr", "mismatch repair deficient"]),
            ("TMB", ["tmb", "tumor mutational burden"]), ("B7-H3", ["b7-h3", "b7h3", "cd276"]), ("GD2", ["gd2"]),
            ("mesothelin", ["mesothelin", "msln"]), ("CLDN18.2", ["claudin 18.2", "claudin18.2", "cldn18.2"]),
            ("IDH1", ["idh1"]), ("IDH2", ["idh2"]), ("FLT3", ["flt3"]), ("NPM1", ["npm1"]), ("TP53", ["tp53", "p53"]),
            ("BCR-ABL1", ["bcr-abl", "bcr-abl1", "philadelphia chromosome"]), ("MYC", ["MYC", "c-MYC"]), ("BCL2", ["bcl2", "bcl-2"]),
            ("ER", ["estrogen receptor", "ER"]), ("PR", ["progesterone receptor", "PR"]), ("HR", ["hormone receptor"]),
            ("NY-ESO-1", ["ny-eso-1"]), ("MAGE-A4", ["mage-a4"]), ("PRAME", ["prame"]), ("DLL3", ["dll3"]),
            ("PSMA", ["psma"]), ("GPC3", ["gpc3", "glypican-3"]), ("HLA-A*02:01", ["hla-a*02:01", "hla-a2", "hla-a*0201"]),
            ("PIK3CA", ["pik3ca"]), ("ESR1", ["esr1"]), ("CD70", ["cd70"]), ("ROR1", ["ror1"]), ("EBV", ["EBV"]),
        ]
        for (id, terms) in markers { add(.biomarker, "biomarker:\(id)", terms) }
        return ConceptLexicon(entries: entries, expansions: [
            "car-t": ["chimeric antigen receptor"],
            "nsclc": ["non-small cell lung cancer"],
        ])
    }()
}
