"""The demo catalogue of the Netherlands, and synthetic catalogues at N times its size for benchmarks.

Real public facts where they are facts: hospital organisation and location names with their cities
(from the public registry table in ``shared/reference/hospitals-nl.csv``, a historical snapshot, so a
few historic names are kept as closed or merged locations), Belgian and German hospitals near the
border, categorical institutions (epilepsy, proton therapy and rehabilitation centres) and the Vektis
COD016 specialism codes. Invented: every AGB code, the ZBC's, dialysis centres, thrombosis services and
other generic centres (named "<kind> <city>"), every condition (``is_demo``), and every offering.

Demo AGB codes: ``KK99NNNN`` — ``KK`` is the Vektis care-provider kind (06 hospitals incl. epilepsy,
rehabilitation and foreign hospitals, 18 dialysis, 19 audiology, 20 radiotherapy/proton therapy,
22 ZBC, 34 thrombosis, 50 diagnostics (EDC and radiological centres: no own kind found),
51 clinical genetics); ``99`` marks demo data (no such sub-kind exists); ``NNNN`` counts per kind.
Synthetic benchmark catalogues use ``98`` instead. Ids are UUID5s of a fixed namespace, so the data
is deterministic: the same institution has the same id on every machine and every run.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

DEMO_NAMESPACE = uuid.UUID("8c3f0b8e-5b8a-4c55-9a43-2f6d1f0c7a10")
DEMO_MARKER = "99"
SYNTHETIC_MARKER = "98"

SPECIALISMS: tuple[tuple[str, str], ...] = (
    ("0301", "Oogheelkunde"),
    ("0302", "Keel-, neus- en oorheelkunde"),
    ("0303", "Heelkunde"),
    ("0304", "Plastische chirurgie"),
    ("0305", "Orthopedie"),
    ("0306", "Urologie"),
    ("0307", "Verloskunde en gynaecologie"),
    ("0308", "Neurochirurgie"),
    ("0310", "Dermatologie"),
    ("0313", "Interne geneeskunde"),
    ("0316", "Kindergeneeskunde"),
    ("0318", "Maag-, darm- en leverziekten"),
    ("0320", "Cardiologie"),
    ("0322", "Longziekten"),
    ("0324", "Reumatologie"),
    ("0326", "Allergologie"),
    ("0327", "Revalidatiegeneeskunde"),
    ("0328", "Cardiothoracale chirurgie"),
    ("0329", "Psychiatrie"),
    ("0330", "Neurologie"),
    ("0335", "Klinische geriatrie"),
    ("0361", "Radiotherapie"),
    ("0362", "Radiologie"),
    ("0363", "Nucleaire geneeskunde"),
    ("0386", "Klinische chemie"),
    ("0387", "Medische microbiologie"),
    ("0388", "Pathologie"),
    ("0389", "Anesthesiologie"),
    ("0390", "Klinische genetica"),
    ("1900", "Audiologie"),
    ("8416", "Sportgeneeskunde"),
    ("8418", "Specialist ouderengeneeskunde"),
)

#: Demo conditions per specialism code, named after the treatments of Dutch wait-time publications.
CONDITIONS: dict[str, tuple[str, ...]] = {
    "0301": (
        "Cataract-operatie",
        "Glaucoombehandeling",
        "Maculadegeneratie (injecties)",
        "Diabetische retinopathie",
        "Netvliesloslating",
        "Ooglidcorrectie",
        "Scheelzien bij kinderen",
        "Hoornvliestransplantatie",
        "Droge ogen",
        "Ooglaseren (refractiechirurgie)",
    ),
    "0302": (
        "Amandelen verwijderen",
        "Trommelvliesbuisjes",
        "Neusbijholteontsteking",
        "Neustussenschotcorrectie",
        "Slechthorendheid",
        "Duizeligheid",
        "Snurken en slaapapneu",
        "Hoofd-halstumoren",
    ),
    "0303": (
        "Liesbreukoperatie",
        "Galblaasverwijdering",
        "Blindedarmontsteking",
        "Darmkanker",
        "Borstkanker",
        "Spataderbehandeling",
        "Navelbreuk",
        "Aambeien",
        "Schildklieroperatie",
        "Maagverkleining",
        "Etalagebenen (vaatchirurgie)",
        "Aneurysma van de buikslagader",
    ),
    "0304": (
        "Carpaletunnelsyndroom",
        "Ziekte van Dupuytren",
        "Triggerfinger",
        "Borstreconstructie",
        "Littekencorrectie",
        "Bovenooglidcorrectie",
        "Brandwondenzorg",
        "Huidkanker (excisie)",
    ),
    "0305": (
        "Knie-artroscopie",
        "Totale knieprothese",
        "Totale heupprothese",
        "Voorste kruisbandreconstructie",
        "Hernia-operatie (lage rug)",
        "Schouderartroscopie",
        "Hallux valgus-correctie",
        "Enkelartrose",
        "Meniscusletsel",
        "Rugklachten",
        "Schouderprothese",
    ),
    "0306": (
        "Prostaatvergroting (TURP)",
        "Prostaatkanker",
        "Nierstenen",
        "Blaaskanker",
        "Incontinentie bij vrouwen",
        "Sterilisatie bij mannen",
        "Terugkerende urineweginfecties",
        "Erectiestoornissen",
    ),
    "0307": (
        "Bevalling",
        "Zwangerschapsbegeleiding bij hoog risico",
        "Baarmoederverwijdering",
        "Verzakking",
        "Vruchtbaarheidsbehandeling (IVF)",
        "Menstruatieklachten",
        "Baarmoederhalskanker",
        "Eierstokkanker",
        "Overgangsklachten",
    ),
    "0308": ("Hernia-operatie (nek)", "Hersentumor", "Wervelkanaalstenose", "Hydrocefalus", "Trigeminusneuralgie"),
    "0310": (
        "Eczeem",
        "Psoriasis",
        "Acne",
        "Basaalcelcarcinoom",
        "Melanoom",
        "Spataderen en beenvaten",
        "Lichttherapie",
        "Wratten en moedervlekken",
        "Overmatig zweten",
    ),
    "0313": (
        "Diabetes",
        "Hoge bloeddruk",
        "Nierfalen",
        "Hemodialyse",
        "Peritoneale dialyse",
        "Bloedarmoede",
        "Schildklierziekten",
        "Infectieziekten",
        "Antistollingsbehandeling",
        "Lymfeklierkanker",
        "Leukemie",
        "Chemotherapie",
    ),
    "0316": (
        "Astma bij kinderen",
        "Diabetes bij kinderen",
        "Groeiproblemen",
        "Koortsstuipen",
        "Neonatologie",
        "Voedselallergie bij kinderen",
        "Epilepsie bij kinderen",
        "Overgewicht bij kinderen",
    ),
    "0318": (
        "Maagonderzoek (gastroscopie)",
        "Darmonderzoek (coloscopie)",
        "IBD (ziekte van Crohn, colitis ulcerosa)",
        "Prikkelbare darm",
        "Leverziekten",
        "Reflux",
        "Alvleesklierontsteking",
        "Vervolgonderzoek darmkankerscreening",
    ),
    "0320": (
        "Hartfalen",
        "Boezemfibrilleren",
        "Dotterbehandeling",
        "Pacemaker",
        "Pijn op de borst",
        "Hartklepaandoeningen",
        "Ablatie bij hartritmestoornissen",
        "Hartrevalidatie",
    ),
    "0322": ("COPD", "Astma", "Longkanker", "Slaapapneu", "Longfibrose", "Longontsteking", "Sarcoïdose"),
    "0324": ("Reumatoïde artritis", "Artrose", "Jicht", "Fibromyalgie", "Ziekte van Bechterew", "Osteoporose"),
    "0326": ("Voedselallergie", "Hooikoorts", "Insectengifallergie", "Geneesmiddelenallergie", "Immunotherapie"),
    "0327": (
        "Revalidatie na een beroerte",
        "Revalidatie na amputatie",
        "Dwarslaesie",
        "Niet-aangeboren hersenletsel",
        "Chronische pijn (revalidatie)",
        "Kinderrevalidatie",
        "Revalidatie bij MS",
    ),
    "0328": ("Bypassoperatie", "Hartklepvervanging", "TAVI", "Aortachirurgie", "Aangeboren hartafwijkingen"),
    "0329": ("Delier", "Depressie bij lichamelijke ziekte", "Eetstoornissen (klinisch)", "Psychiatrische consultatie"),
    "0330": (
        "Beroerte (CVA)",
        "Epilepsie",
        "Migraine",
        "Ziekte van Parkinson",
        "Multiple sclerose",
        "Dementie",
        "Polyneuropathie",
        "Slaapstoornissen",
        "Moeilijk instelbare epilepsie",
        "Zenuwpijn",
    ),
    "0335": ("Geheugenproblemen", "Valproblemen", "Medicatiebeoordeling", "Kwetsbare ouderen"),
    "0361": (
        "Bestraling bij borstkanker",
        "Bestraling bij prostaatkanker",
        "Protonentherapie",
        "Stereotactische bestraling",
        "Protonentherapie bij kinderen",
        "Brachytherapie",
    ),
    "0362": ("MRI-onderzoek", "CT-scan", "Echografie", "Röntgenonderzoek", "Mammografie", "Interventieradiologie"),
    "0363": ("PET-scan", "Botscan", "Radioactief jodium bij schildklierziekten"),
    "0386": ("Bloedonderzoek", "Urineonderzoek", "Glucosetolerantietest"),
    "0387": ("Kweekonderzoek", "SOA-diagnostiek"),
    "0388": ("Weefselonderzoek (biopt)", "Cytologie (uitstrijkje)"),
    "0389": ("Pijnbehandeling", "Zenuwblokkade", "Sedatie"),
    "0390": (
        "Erfelijkheidsonderzoek bij kanker",
        "Prenatale diagnostiek",
        "DNA-onderzoek bij ontwikkelingsachterstand",
        "Erfelijke hartziekten",
        "Dragerschapsonderzoek",
    ),
    "1900": (
        "Gehooronderzoek",
        "Hoortoestelindicatie",
        "Cochleair implantaat",
        "Oorsuizen (tinnitus)",
        "Spraak- en taalontwikkeling bij kinderen",
    ),
    "8416": ("Sportblessures", "Sportmedisch onderzoek", "Overbelastingsletsel"),
    "8418": ("Geriatrische revalidatie", "Kortdurende opname"),
}

U, T, G = "university_medical_centre", "top_clinical_hospital", "general_hospital"
#: (organisation, type, location, city): the hospital locations, grouped by organisation; real names and cities.
HOSPITALS: tuple[tuple[str, str, str, str], ...] = (
    ("Amsterdam UMC", U, "Academisch Medisch Centrum", "Amsterdam"),
    ("Amsterdam UMC", U, "VU Medisch Centrum", "Amsterdam"),
    ("Maastricht UMC+", U, "Academisch Ziekenhuis Maastricht", "Maastricht"),
    ("Erasmus MC", U, "Erasmus Medisch Centrum", "Rotterdam"),
    ("Erasmus MC", U, "Erasmus MC Sophia Kinderziekenhuis", "Rotterdam"),
    ("LUMC", U, "Leids Universitair Medisch Centrum", "Leiden"),
    ("Radboudumc", U, "Radboudumc", "Nijmegen"),
    ("UMC Utrecht", U, "UMC Utrecht", "Utrecht"),
    ("UMC Utrecht", U, "Wilhelmina Kinderziekenhuis", "Utrecht"),
    ("UMCG", U, "Universitair Medisch Centrum Groningen", "Groningen"),
    ("Antoni van Leeuwenhoek", T, "Antoni van Leeuwenhoek Ziekenhuis", "Amsterdam"),
    ("Admiraal De Ruyter Ziekenhuis", G, "Admiraal de Ruyter Ziekenhuis", "Vlissingen"),
    ("Admiraal De Ruyter Ziekenhuis", G, "Admiraal De Ruyter Ziekenhuis Goes", "Goes"),
    ("Albert Schweitzer ziekenhuis", T, "Albert Schweitzer Ziekenhuis", "Dordrecht"),
    ("Albert Schweitzer ziekenhuis", T, "Albert Schweitzer Ziekenhuis Zwijndrecht", "Zwijndrecht"),
    ("Albert Schweitzer ziekenhuis", T, "Albert Schweitzer Ziekenhuis Sliedrecht", "Sliedrecht"),
    ("Alrijne Zorggroep", G, "Alrijne Zorggroep", "Leiderdorp"),
    ("Alrijne Zorggroep", G, "Alrijne Ziekenhuis Leiden", "Leiden"),
    ("Alrijne Zorggroep", G, "Alrijne Ziekenhuis Alphen", "Alphen aan den Rijn"),
    ("Amphia", T, "Amphia", "Breda"),
    ("Amphia", T, "Amphia Oosterhout", "Oosterhout"),
    ("Ziekenhuis Amstelland", G, "Amstelland Ziekenhuis", "Amstelveen"),
    ("Antonius Sneek", G, "Antonius Ziekenhuis Zuid West Friesland", "Sneek"),
    ("Rivas Zorggroep", G, "Beatrix Ziekenhuis (Rivas Zorggroep)", "Gorinchem"),
    ("Bernhoven", G, "Bernhoven Ziekenhuis", "Uden"),
    ("Treant Zorggroep", G, "Bethesda Ziekenhuis", "Hoogeveen"),
    ("Treant Zorggroep", G, "Scheperziekenhuis", "Emmen"),
    ("Treant Zorggroep", G, "Refaja Ziekenhuis", "Stadskanaal"),
    ("BovenIJ Ziekenhuis", G, "BovenIJ Ziekenhuis", "Amsterdam"),
    ("Bravis Ziekenhuis", G, "Bravis Ziekenhuis", "Roosendaal"),
    ("Bravis Ziekenhuis", G, "Bravis Ziekenhuis Bergen op Zoom", "Bergen op Zoom"),
    ("Canisius Wilhelmina Ziekenhuis", T, "Canisius-Wilhelmina Ziekenhuis", "Nijmegen"),
    ("Catharina Ziekenhuis", T, "Catharina Ziekenhuis", "Eindhoven"),
    ("Deventer Ziekenhuis", T, "Deventer Ziekenhuis", "Deventer"),
    ("Isala", T, "Isala Klinieken", "Zwolle"),
    ("Isala", T, "Diaconessenhuis", "Meppel"),
    ("Isala", T, "Isala Kampen", "Kampen"),
    ("Diakonessenhuis", G, "Diakonessenhuis", "Utrecht"),
    ("Diakonessenhuis", G, "Diakonessenhuis Zeist", "Zeist"),
    ("Elisabeth-TweeSteden Ziekenhuis", T, "Elisabeth TweeSteden Ziekenhuis", "Tilburg"),
    ("Elisabeth-TweeSteden Ziekenhuis", T, "ETZ Waalwijk", "Waalwijk"),
    ("Elkerliek", G, "Elkerliek Ziekenhuis", "Helmond"),
    ("Elkerliek", G, "Elkerliek Deurne", "Deurne"),
    ("Flevoziekenhuis", G, "Flevoziekenhuis", "Almere"),
    ("Ziekenhuis Gelderse Vallei", T, "Gelderse Vallei", "Ede"),
    ("Gelre ziekenhuizen", T, "Gelre Ziekenhuizen", "Apeldoorn"),
    ("Gelre ziekenhuizen", T, "Gelre Ziekenhuizen Zutphen", "Zutphen"),
    ("Groene Hart Ziekenhuis", G, "Groene Hart Ziekenhuis", "Gouda"),
    ("Haaglanden Medisch Centrum", T, "Haaglanden Medisch Centrum", "Den Haag"),
    ("Haaglanden Medisch Centrum", T, "HMC Antoniushove", "Leidschendam"),
    ("Haaglanden Medisch Centrum", T, "HMC Bronovo", "Den Haag"),
    ("HagaZiekenhuis", T, "HagaZiekenhuis", "Den Haag"),
    ("HagaZiekenhuis", T, "Lange Land Ziekenhuis", "Zoetermeer"),
    ("Maasstad Ziekenhuis", T, "Maasstad Ziekenhuis", "Rotterdam"),
    ("Maasstad Ziekenhuis", T, "Havenziekenhuis", "Rotterdam"),
    ("Ikazia Ziekenhuis", G, "Ikazia Ziekenhuis", "Rotterdam"),
    ("IJsselland Ziekenhuis", G, "IJsselland Ziekenhuis", "Capelle a/d IJssel"),
    ("Jeroen Bosch Ziekenhuis", T, "Jeroen Bosch Ziekenhuis", "'s-Hertogenbosch"),
    ("Spaarne Gasthuis", T, "Spaarne Gasthuis", "Hoofddorp"),
    ("Spaarne Gasthuis", T, "Spaarne Gasthuis Haarlem", "Haarlem"),
    ("Spaarne Gasthuis", T, "Kennemer Gasthuis", "Haarlem"),
    ("Spaarne Gasthuis", T, "Spaarne Ziekenhuis", "Hoofddorp"),
    ("Laurentius Ziekenhuis", G, "Laurentius Ziekenhuis", "Roermond"),
    ("Martini Ziekenhuis", T, "Martini Ziekenhuis", "Groningen"),
    ("Maasziekenhuis Pantein", G, "Maasziekenhuis", "Beugen"),
    ("Máxima MC", T, "Máxima Medisch Centrum", "Veldhoven"),
    ("Máxima MC", T, "Máxima MC Eindhoven", "Eindhoven"),
    ("Meander Medisch Centrum", T, "Meander Medisch Centrum", "Amersfoort"),
    ("Medisch Centrum Leeuwarden", T, "Medisch Centrum Leeuwarden", "Leeuwarden"),
    ("Medisch Spectrum Twente", T, "Medisch Spectrum Twente", "Enschede"),
    ("Nij Smellinghe", G, "Nij Smellinghe", "Drachten"),
    ("Noordwest Ziekenhuisgroep", T, "Noordwest Ziekenhuisgroep", "Alkmaar"),
    ("Noordwest Ziekenhuisgroep", T, "Noordwest Ziekenhuisgroep Den Helder", "Den Helder"),
    ("Ommelander Ziekenhuis Groningen", G, "Ommelander Ziekenhuis Groep", "Scheemda"),
    ("OLVG", T, "Stichting Onze Lieve Vrouwe Gasthuis", "Amsterdam"),
    ("OLVG", T, "OLVG West", "Amsterdam"),
    ("OLVG", T, "Slotervaart Ziekenhuis", "Amsterdam"),
    ("Reinier de Graaf", T, "Reinier de Graaf Groep", "Delft"),
    ("Reinier de Graaf", T, "Reinier de Graaf Voorburg", "Voorburg"),
    ("Rijnstate", T, "Rijnstate Ziekenhuis", "Arnhem"),
    ("Rijnstate", T, "Rijnstate Zevenaar", "Zevenaar"),
    ("Rijnstate", T, "Rijnstate Velp", "Velp"),
    ("Rode Kruis Ziekenhuis", G, "Rode Kruis Ziekenhuis", "Beverwijk"),
    ("Saxenburgh", G, "Röpcke Zweers Ziekenhuis", "Hardenberg"),
    ("Spijkenisse Medisch Centrum", G, "Ruwaard van Putten Ziekenhuis", "Spijkenisse"),
    ("Anna Ziekenhuis", G, "Sint Anna Ziekenhuis", "Geldrop"),
    ("St. Antonius Ziekenhuis", T, "Sint Antonius Ziekenhuis", "Nieuwegein"),
    ("St. Antonius Ziekenhuis", T, "St. Antonius Utrecht", "Utrecht"),
    ("St. Antonius Ziekenhuis", T, "Hofpoort Ziekenhuis", "Woerden"),
    ("Franciscus", T, "Sint Franciscus Gasthuis", "Rotterdam"),
    ("Franciscus", T, "Vlietland Ziekenhuis", "Schiedam"),
    ("St Jansdal", G, "Sint Jansdal Ziekenhuis", "Harderwijk"),
    ("St Jansdal", G, "St Jansdal Lelystad", "Lelystad"),
    ("St Jansdal", G, "IJsselmeerziekenhuizen", "Lelystad"),
    ("SJG Weert", G, "Sint Jansgasthuis", "Weert"),
    ("Slingeland Ziekenhuis", G, "Slingeland Ziekenhuis", "Doetinchem"),
    ("ZorgSaam Zeeuws-Vlaanderen", G, "Stichting ZorgSaam Zeeuws Vlaanderen", "Terneuzen"),
    ("SKB Winterswijk", G, "Streekziekenhuis Koningin Beatrix", "Winterswijk"),
    ("Tergooi MC", G, "Tergooi Ziekenhuizen", "Hilversum"),
    ("Tjongerschans", G, "Tjongerschans Ziekenhuis", "Heerenveen"),
    ("Van Weel-Bethesda Ziekenhuis", G, "Van Weel Ziekenhuis", "Dirksland"),
    ("VieCuri", T, "VieCuri Medisch Centrum", "Venlo"),
    ("Dijklander Ziekenhuis", G, "Westfries Gasthuis", "Hoorn"),
    ("Dijklander Ziekenhuis", G, "Waterland Ziekenhuis", "Purmerend"),
    ("Wilhelmina Ziekenhuis Assen", G, "Wilhelminaziekenhuis", "Assen"),
    ("Zaans Medisch Centrum", G, "Zaans Medisch Centrum", "Zaandam"),
    ("Ziekenhuis Rivierenland", G, "Ziekenhuis Rivierenland", "Tiel"),
    ("Ziekenhuisgroep Twente", T, "Ziekenhuisgroep Twente", "Almelo"),
    ("Ziekenhuisgroep Twente", T, "ZGT Hengelo", "Hengelo"),
    ("Zuyderland", T, "Zuyderland Medisch Centrum", "Heerlen"),
    ("Zuyderland", T, "Zuyderland Sittard-Geleen", "Sittard"),
)
#: Historic locations, kept as closed on a date (and merged into the named location that took them over).
CLOSED_HOSPITALS: dict[str, tuple[date, str | None]] = {
    "Havenziekenhuis": (date(2018, 4, 1), "Maasstad Ziekenhuis"),
    "Kennemer Gasthuis": (date(2015, 1, 1), "Spaarne Gasthuis Haarlem"),
    "Spaarne Ziekenhuis": (date(2015, 1, 1), "Spaarne Gasthuis"),
    "Slotervaart Ziekenhuis": (date(2018, 12, 1), None),
    "IJsselmeerziekenhuizen": (date(2018, 10, 26), "St Jansdal Lelystad"),
}

# (name, city, type): real categorical institutions where public, generic "<kind> <city>" otherwise.
CATEGORICAL: tuple[tuple[str, str, str], ...] = (
    ("Stichting Epilepsie Instellingen Nederland (SEIN)", "Heemstede", "epilepsy_centre"),
    ("SEIN Zwolle", "Zwolle", "epilepsy_centre"),
    ("Kempenhaeghe", "Heeze", "epilepsy_centre"),
    ("HollandPTC", "Delft", "proton_therapy_centre"),
    ("UMCG Protonentherapiecentrum", "Groningen", "proton_therapy_centre"),
    ("ZON-PTC", "Maastricht", "proton_therapy_centre"),
    ("Reade", "Amsterdam", "rehabilitation_centre"),
    ("Basalt", "Leiden", "rehabilitation_centre"),
    ("Rijndam Revalidatie", "Rotterdam", "rehabilitation_centre"),
    ("De Hoogstraat Revalidatie", "Utrecht", "rehabilitation_centre"),
    ("Revant", "Breda", "rehabilitation_centre"),
    ("Adelante", "Hoensbroek", "rehabilitation_centre"),
    ("Roessingh", "Enschede", "rehabilitation_centre"),
    ("Heliomare", "Wijk aan Zee", "rehabilitation_centre"),
    ("Libra Revalidatie & Audiologie", "Eindhoven", "rehabilitation_centre"),
    ("Vogellanden", "Zwolle", "rehabilitation_centre"),
    ("Klimmendaal", "Arnhem", "rehabilitation_centre"),
    ("Revalidatiecentrum Beatrixoord", "Haren", "rehabilitation_centre"),
    ("Sophia Revalidatie", "Den Haag", "rehabilitation_centre"),
    ("Tolbrug Revalidatie", "'s-Hertogenbosch", "rehabilitation_centre"),
    ("Revalidatie Friesland", "Beetsterzwaag", "rehabilitation_centre"),
    *(
        (f"Dialysecentrum {c}", c, "dialysis_centre")
        for c in (
            "Amsterdam",
            "Rotterdam",
            "Utrecht",
            "Den Haag",
            "Eindhoven",
            "Groningen",
            "Zwolle",
            "Nijmegen",
            "Haarlem",
            "Breda",
            "Maastricht",
            "Leeuwarden",
            "Amersfoort",
            "Apeldoorn",
            "Almere",
        )
    ),
    *(
        (f"Trombosedienst {c}", c, "thrombosis_service")
        for c in (
            "Amsterdam",
            "Rotterdam",
            "Utrecht",
            "Den Haag",
            "Leiden",
            "Noord-Holland Noord",
            "Twente",
            "Friesland",
            "Zeeland",
            "Limburg",
            "Oost-Brabant",
            "Gelderland-Midden",
        )
    ),
    *(
        (f"Audiologisch Centrum {c}", c, "audiological_centre")
        for c in ("Amsterdam", "Rotterdam", "Utrecht", "Groningen", "Nijmegen", "Zwolle", "Eindhoven", "Den Haag")
    ),
    *(
        (f"Radiologisch Centrum {c}", c, "radiological_centre")
        for c in ("Amsterdam", "Utrecht", "Rotterdam", "Tilburg", "Arnhem")
    ),
    *(
        (f"Klinisch Genetisch Centrum {c}", c, "clinical_genetic_centre")
        for c in ("Amsterdam", "Rotterdam", "Leiden", "Utrecht", "Nijmegen", "Groningen", "Maastricht")
    ),
    ("Saltro", "Utrecht", "edc"),
    ("Star-shl", "Rotterdam", "edc"),
    ("Certe", "Groningen", "edc"),
    ("Atalmedial", "Amsterdam", "edc"),
    ("Diagnostiek voor U", "Eindhoven", "edc"),
    ("Diagnostisch Centrum Zwolle", "Zwolle", "edc"),
)

FOREIGN: tuple[tuple[str, str, str], ...] = (
    ("AZ Vesalius", "Tongeren", "BE"),
    ("GZA Ziekenhuizen", "Antwerpen", "BE"),
    ("AZ Sint-Jan", "Brugge", "BE"),
    ("UZ Gent", "Gent", "BE"),
    ("AZ Zeno", "Knokke-Heist", "BE"),
    ("AZ Maria Middelares", "Gent", "BE"),
    ("ZNA Middelheim", "Antwerpen", "BE"),
    ("UZ Antwerpen", "Edegem", "BE"),
    ("AZ Monica", "Antwerpen", "BE"),
    ("Ziekenhuis Oost-Limburg", "Genk", "BE"),
    ("Jessa Ziekenhuis", "Hasselt", "BE"),
    ("AZ Turnhout", "Turnhout", "BE"),
    ("AZ Klina", "Brasschaat", "BE"),
    ("AZ Alma", "Eeklo", "BE"),
    ("UZ Leuven", "Leuven", "BE"),
    ("AZ Sint-Lucas", "Gent", "BE"),
    ("Mariaziekenhuis Noord-Limburg", "Pelt", "BE"),
    ("Sint-Trudo Ziekenhuis", "Sint-Truiden", "BE"),
    ("Uniklinik RWTH Aachen", "Aachen", "DE"),
    ("Klinikum Emden", "Emden", "DE"),
    ("Klinikum Leer", "Leer", "DE"),
    ("Bonifatius Hospital", "Lingen", "DE"),
    ("Euregio-Klinik", "Nordhorn", "DE"),
    ("Universitätsklinikum Münster", "Münster", "DE"),
    ("St. Antonius-Hospital", "Gronau", "DE"),
    ("St. Antonius-Hospital Kleve", "Kleve", "DE"),
    ("St. Marien-Hospital", "Borken", "DE"),
    ("Helios Klinikum Krefeld", "Krefeld", "DE"),
    ("Kliniken Maria Hilf", "Mönchengladbach", "DE"),
    ("Hospital zum Heiligen Geist", "Kempen", "DE"),
)

# ZBC's: "<kind> <city>", each kind with the specialisms it offers.
ZBC_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Oogkliniek", ("0301",)),
    ("Orthopedische Kliniek", ("0305",)),
    ("Huidkliniek", ("0310",)),
    ("Spataderkliniek", ("0310", "0303")),
    ("KNO-kliniek", ("0302",)),
    ("Kliniek voor Plastische Chirurgie", ("0304",)),
    ("Handkliniek", ("0304", "0305")),
    ("Slaapcentrum", ("0330", "0322")),
    ("Urologisch Centrum", ("0306",)),
    ("MDL-kliniek", ("0318",)),
    ("Pijnkliniek", ("0389",)),
    ("Hartkliniek", ("0320",)),
    ("Vrouwenkliniek", ("0307",)),
    ("Reumakliniek", ("0324",)),
    ("Sportmedisch Centrum", ("8416", "0305")),
    ("Dermatologisch Centrum", ("0310",)),
)
ZBC_CITIES = (
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Arnhem",
    "Enschede",
    "Amersfoort",
    "Zaandam",
    "'s-Hertogenbosch",
    "Zwolle",
    "Leiden",
    "Maastricht",
    "Dordrecht",
    "Zoetermeer",
    "Ede",
    "Alkmaar",
    "Leeuwarden",
    "Venlo",
    "Delft",
    "Deventer",
    "Hilversum",
    "Heerlen",
    "Roosendaal",
    "Oss",
    "Hengelo",
    "Helmond",
    "Purmerend",
    "Gouda",
    "Assen",
    "Emmen",
    "Goes",
    "Middelburg",
)
ZBC_COUNT = 200

AGB_KIND = {
    "general_hospital": "06",
    "top_clinical_hospital": "06",
    "university_medical_centre": "06",
    "epilepsy_centre": "06",
    "rehabilitation_centre": "06",
    "foreign_hospital": "06",
    "dialysis_centre": "18",
    "audiological_centre": "19",
    "proton_therapy_centre": "20",
    "zbc": "22",
    "thrombosis_service": "34",
    "edc": "50",
    "radiological_centre": "50",
    "clinical_genetic_centre": "51",
}

ALL = None
#: Offering per type: specialism code -> (probability the specialism is offered, conditions: ALL or names).
_HOSPITAL_CORE = (
    "0301",
    "0302",
    "0303",
    "0305",
    "0306",
    "0307",
    "0310",
    "0313",
    "0316",
    "0318",
    "0320",
    "0322",
    "0324",
    "0330",
    "0335",
    "0362",
    "0386",
    "0389",
)
TYPE_OFFERING: dict[str, dict[str, tuple[float, tuple[str, ...] | None]]] = {
    "university_medical_centre": {code: (1.0, ALL) for code, _ in SPECIALISMS if code not in ("8416", "8418")},
    "top_clinical_hospital": {
        **{code: (1.0, ALL) for code in _HOSPITAL_CORE},
        **{c: (0.9, ALL) for c in ("0304", "0326", "0329", "0363", "0387", "0388")},
        **{c: (0.5, ALL) for c in ("0308", "0328", "0361")},
    },
    "general_hospital": {
        **{code: (1.0, ALL) for code in _HOSPITAL_CORE},
        **{c: (0.6, ALL) for c in ("0304", "0329", "0387", "0388")},
        "0326": (0.3, ALL),
    },
    "edc": {"0386": (1.0, ALL), "0387": (1.0, ALL), "0362": (0.5, ("Echografie", "Röntgenonderzoek"))},
    "dialysis_centre": {"0313": (1.0, ("Hemodialyse", "Peritoneale dialyse", "Nierfalen"))},
    "epilepsy_centre": {
        "0330": (1.0, ("Epilepsie", "Moeilijk instelbare epilepsie", "Slaapstoornissen")),
        "0316": (1.0, ("Epilepsie bij kinderen",)),
    },
    "proton_therapy_centre": {"0361": (1.0, ("Protonentherapie", "Protonentherapie bij kinderen"))},
    "rehabilitation_centre": {"0327": (1.0, ALL)},
    "thrombosis_service": {"0313": (1.0, ("Antistollingsbehandeling",))},
    "audiological_centre": {"1900": (1.0, ALL)},
    "radiological_centre": {
        "0362": (1.0, ("MRI-onderzoek", "CT-scan", "Echografie", "Röntgenonderzoek", "Mammografie"))
    },
    "clinical_genetic_centre": {"0390": (1.0, ALL)},
    "foreign_hospital": {},  # R11: contracted at institution level only
}
CONDITION_SHARE = {
    "university_medical_centre": 0.95,
    "top_clinical_hospital": 0.85,
    "general_hospital": 0.7,
    "zbc": 0.75,
}


@dataclass
class Catalogue:
    """Rows ready for bulk insert, keyed by table (see ``demo.load_catalogue``)."""

    groups: list[dict[str, Any]] = field(default_factory=list)
    specialisms: list[dict[str, Any]] = field(default_factory=list)
    conditions: list[dict[str, Any]] = field(default_factory=list)
    institutions: list[dict[str, Any]] = field(default_factory=list)
    offering_specialisms: list[dict[str, Any]] = field(default_factory=list)
    offering_conditions: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.__dict__.items()}


def stable_id(*parts: object) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, "/".join(str(p) for p in parts)))


def _base_vocabulary(catalogue: Catalogue) -> dict[str, list[tuple[str, str]]]:
    """Specialisms and conditions; returns code -> [(condition id, name)]."""
    by_code: dict[str, list[tuple[str, str]]] = {}
    for code, name in SPECIALISMS:
        sid = stable_id("specialism", code)
        catalogue.specialisms.append({"id": sid, "code": code, "name": name, "retired": False, "revision": 1})
        by_code[code] = []
        for condition_name in CONDITIONS.get(code, ()):
            cid = stable_id("condition", code, condition_name)
            catalogue.conditions.append(
                {
                    "id": cid,
                    "specialism_id": sid,
                    "name": condition_name,
                    "retired": False,
                    "is_demo": True,
                    "revision": 1,
                }
            )
            by_code[code].append((cid, condition_name))
    return by_code


class _CatalogueBuilder:
    """The rows of one catalogue, copy by copy, from one seeded random source (the order of draws is fixed)."""

    def __init__(self, copies: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.marker = DEMO_MARKER if copies == 1 else SYNTHETIC_MARKER
        self.catalogue = Catalogue()
        self.conditions_by_code = _base_vocabulary(self.catalogue)
        self.specialism_id = {code: stable_id("specialism", code) for code, _ in SPECIALISMS}
        self.counters: dict[str, int] = {}

    def agb(self, kind: str) -> str:
        prefix = AGB_KIND[kind]
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.marker}{self.counters[prefix]:04d}"

    def offer(self, iid: str, kind: str, zbc_codes: tuple[str, ...] = ()) -> None:
        rng, catalogue = self.rng, self.catalogue
        plan = TYPE_OFFERING.get(kind) or {code: (1.0, ALL) for code in zbc_codes}
        share = CONDITION_SHARE.get(kind, 1.0)
        for code, (probability, names) in plan.items():
            if rng.random() > probability:
                continue
            catalogue.offering_specialisms.append({"institution_id": iid, "specialism_id": self.specialism_id[code]})
            candidates = [(cid, n) for cid, n in self.conditions_by_code[code] if names is ALL or n in names]
            chosen = [cid for cid, _ in candidates if names is not ALL or rng.random() <= share]
            if not chosen and candidates:
                chosen = [rng.choice(candidates)[0]]
            catalogue.offering_conditions.extend({"institution_id": iid, "condition_id": cid} for cid in chosen)

    def institution(
        self,
        key: str,
        name: str,
        kind: str,
        country: str,
        city: str,
        group_id: str | None = None,
        closed_on: date | None = None,
        merged_into_id: str | None = None,
    ) -> str:
        iid = stable_id("institution", key)
        self.catalogue.institutions.append(
            {
                "id": iid,
                "agb_code": self.agb(kind),
                "name": name,
                "type": kind,
                "country": country,
                "address": None,
                "postcode": None,
                "city": city,
                "email": None,
                "phone": None,
                "group_id": group_id,
                "opened_on": None,
                "closed_on": closed_on,
                "merged_into_id": merged_into_id,
                "revision": 2 if closed_on else 1,
                "offering_revision": 0,
            }
        )
        return iid

    def add_copy(self, copy: int) -> None:
        """Hospital organisations with their locations, categorical institutions, foreign hospitals, ZBC's."""
        suffix = f" (synthetisch {copy})" if copy else ""
        for org_name, locations in groupby(HOSPITALS, key=itemgetter(0)):
            gid = stable_id("group", copy, org_name)
            self.catalogue.groups.append(
                {"id": gid, "name": org_name + suffix, "kind": "hospital_organisation", "revision": 1}
            )
            for _, kind, name, city in locations:
                closed_on, into = CLOSED_HOSPITALS.get(name, (None, None))
                into_id = stable_id("institution", copy, into) if into else None
                iid = self.institution(f"{copy}/{name}", name + suffix, kind, "NL", city, gid, closed_on, into_id)
                if closed_on is None:
                    self.offer(iid, kind)
        for name, city, kind in CATEGORICAL:
            self.offer(self.institution(f"{copy}/{name}", name + suffix, kind, "NL", city), kind)
        for name, city, country in FOREIGN:
            self.institution(f"{copy}/{name}", name + suffix, "foreign_hospital", country, city)
        combinations = [(k, c) for k in range(len(ZBC_KINDS)) for c in ZBC_CITIES]
        for k, city in sorted(self.rng.sample(combinations, ZBC_COUNT)):
            label, codes = ZBC_KINDS[k]
            name = f"{label} {city}"
            self.offer(self.institution(f"{copy}/{name}", name + suffix, "zbc", "NL", city), "zbc", codes)


def build_catalogue(copies: int = 1, seed: int = 20260101) -> Catalogue:
    """The demo catalogue (``copies=1``), or a synthetic one ``copies`` times its size.

    Copy 0 of a synthetic catalogue carries the real names; copies 1.. are suffixed "(synthetisch n)".
    Every run with the same arguments gives the same rows (seeded random, UUID5 ids).
    """
    builder = _CatalogueBuilder(copies, seed)
    for copy in range(copies):
        builder.add_copy(copy)
    catalogue = builder.catalogue
    _check_merge_targets(catalogue)
    offered = {o["institution_id"] for o in catalogue.offering_specialisms}
    for row in catalogue.institutions:
        row["offering_revision"] = 1 if row["id"] in offered else 0
    return catalogue


def _check_merge_targets(catalogue: Catalogue) -> None:
    """Merge targets are named by location; each must be an open institution of the same copy."""
    open_ids = {row["id"] for row in catalogue.institutions if row["closed_on"] is None}
    for row in catalogue.institutions:
        if row["merged_into_id"] and row["merged_into_id"] not in open_ids:
            raise ValueError(f"merge target of {row['name']} is not an open institution")


def demo_catalogue() -> Catalogue:
    return build_catalogue(1)


def synthetic_catalogue(scale: int = 10) -> Catalogue:
    return build_catalogue(scale, seed=20260101 + scale)
