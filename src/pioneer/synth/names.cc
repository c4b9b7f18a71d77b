#include "pioneer/synth/names.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace pioneer::synth {
namespace {

struct W {
  const char* name;
  double weight;
};

// Common British surnames, weights ~ people per 100,000 in England and Wales (rounded; the
// order and rough sizes follow published surname frequency lists, e.g. the ONS 2002 NHS
// Central Register counts and the 1881-2001 GB surname profiles). A few Yorkshire names
// (Sykes, Holroyd, Sutcliffe, ...) give the fictional West Yorkshire area its flavour.
constexpr W kBritishSurnames[] = {
    {"Smith", 1150},
    {"Jones", 760},
    {"Williams", 530},
    {"Taylor", 460},
    {"Brown", 440},
    {"Davies", 390},
    {"Evans", 330},
    {"Wilson", 320},
    {"Thomas", 300},
    {"Johnson", 290},
    {"Roberts", 280},
    {"Robinson", 260},
    {"Thompson", 255},
    {"Wright", 250},
    {"Walker", 245},
    {"White", 240},
    {"Edwards", 230},
    {"Hughes", 225},
    {"Green", 220},
    {"Hall", 215},
    {"Lewis", 210},
    {"Harris", 205},
    {"Clarke", 200},
    {"Jackson", 195},
    {"Wood", 190},
    {"Turner", 180},
    {"Martin", 178},
    {"Cooper", 175},
    {"Hill", 172},
    {"Ward", 170},
    {"Morris", 168},
    {"Moore", 165},
    {"Clark", 162},
    {"Lee", 160},
    {"King", 158},
    {"Baker", 156},
    {"Harrison", 154},
    {"Morgan", 150},
    {"Allen", 148},
    {"James", 146},
    {"Scott", 144},
    {"Phillips", 142},
    {"Watson", 140},
    {"Davis", 138},
    {"Parker", 135},
    {"Price", 132},
    {"Bennett", 130},
    {"Young", 128},
    {"Griffiths", 126},
    {"Mitchell", 124},
    {"Kelly", 122},
    {"Cook", 120},
    {"Carter", 118},
    {"Richardson", 116},
    {"Bailey", 114},
    {"Collins", 112},
    {"Bell", 110},
    {"Shaw", 108},
    {"Murphy", 106},
    {"Miller", 104},
    {"Cox", 102},
    {"Richards", 100},
    {"Marshall", 98},
    {"Anderson", 97},
    {"Simpson", 96},
    {"Ellis", 95},
    {"Adams", 94},
    {"Wilkinson", 92},
    {"Foster", 91},
    {"Chapman", 90},
    {"Powell", 89},
    {"Webb", 88},
    {"Rogers", 87},
    {"Gray", 86},
    {"Mason", 85},
    {"Hunt", 84},
    {"Campbell", 83},
    {"Matthews", 82},
    {"Owen", 81},
    {"Palmer", 80},
    {"Holmes", 79},
    {"Mills", 78},
    {"Barnes", 77},
    {"Knight", 76},
    {"Lloyd", 75},
    {"Butler", 74},
    {"Russell", 73},
    {"Barker", 72},
    {"Fisher", 71},
    {"Stevens", 70},
    {"Jenkins", 69},
    {"Murray", 68},
    {"Dixon", 67},
    {"Harvey", 66},
    {"Graham", 65},
    {"Pearson", 64},
    {"Fletcher", 63},
    {"Walsh", 62},
    {"Gibson", 61},
    {"Howard", 60},
    {"Andrews", 59},
    {"Stewart", 58},
    {"Elliott", 57},
    {"Reynolds", 56},
    {"Saunders", 55},
    {"Payne", 54},
    {"Fox", 53},
    {"Ford", 52},
    {"Pearce", 51},
    {"Day", 50},
    {"Brooks", 49},
    {"West", 48},
    {"Lawrence", 47},
    {"Cole", 46},
    {"Atkinson", 45},
    {"Bradley", 44},
    {"Spencer", 43},
    {"Dawson", 41},
    {"Ball", 40},
    {"Burton", 40},
    {"O'Brien", 39},
    {"Watts", 39},
    {"Rose", 38},
    {"Booth", 38},
    {"Perry", 37},
    {"Ryan", 37},
    {"Grant", 36},
    {"Wells", 36},
    {"Armstrong", 35},
    {"Francis", 35},
    {"Rees", 34},
    {"Hayes", 34},
    {"Hart", 33},
    {"Hudson", 33},
    {"Newman", 32},
    {"Barrett", 32},
    {"Webster", 31},
    {"Hunter", 31},
    {"Gregory", 30},
    {"Carr", 30},
    {"Lowe", 29},
    {"Page", 29},
    {"Marsh", 28},
    {"Riley", 28},
    {"Dunn", 28},
    {"Woods", 27},
    {"Parsons", 27},
    {"Berry", 27},
    {"Stone", 26},
    {"Reid", 26},
    {"Holland", 26},
    {"Hawkins", 25},
    {"Harding", 25},
    {"Porter", 25},
    {"Robertson", 24},
    {"Newton", 24},
    {"Oliver", 24},
    {"Reed", 23},
    {"Kennedy", 23},
    {"Williamson", 23},
    {"Bird", 22},
    {"Gardner", 22},
    {"Dean", 22},
    {"Lane", 21},
    {"Cooke", 21},
    {"Bates", 21},
    {"Henderson", 21},
    {"Parry", 20},
    {"Burgess", 20},
    {"Bishop", 20},
    {"Walton", 20},
    {"Burns", 19},
    {"Nicholson", 19},
    {"Shepherd", 19},
    {"Ross", 19},
    {"Cross", 18},
    {"Long", 18},
    {"Freeman", 18},
    {"Warren", 18},
    {"Nicholls", 18},
    {"Hamilton", 17},
    {"Byrne", 17},
    {"Sutton", 17},
    {"McDonald", 17},
    {"Yates", 17},
    {"Hodgson", 16},
    {"Robson", 16},
    {"Curtis", 16},
    {"Hopkins", 16},
    {"O'Connor", 16},
    {"Harper", 15},
    {"Coleman", 15},
    {"Watkins", 15},
    {"Moss", 15},
    {"McCarthy", 15},
    {"Chambers", 15},
    {"O'Neill", 15},
    {"Griffin", 14},
    {"Sharp", 14},
    {"Hardy", 14},
    {"Wheeler", 14},
    {"Potter", 14},
    {"Osborne", 14},
    {"Johnston", 14},
    {"Gordon", 14},
    {"Doyle", 13},
    {"Wallace", 13},
    {"George", 13},
    {"Jordan", 13},
    {"Hutchinson", 13},
    {"Rowe", 13},
    {"Burke", 13},
    {"May", 13},
    {"Pritchard", 12},
    {"Gilbert", 12},
    {"Willis", 12},
    {"Higgins", 12},
    {"Read", 12},
    {"Miles", 12},
    {"Stevenson", 12},
    {"Stephenson", 12},
    {"Hammond", 12},
    {"Arnold", 12},
    {"Buckley", 12},
    {"Walters", 12},
    {"Hewitt", 11},
    {"Barber", 11},
    {"Nelson", 11},
    {"Slater", 11},
    {"Austin", 11},
    {"Sullivan", 11},
    {"Whitehead", 11},
    {"Mann", 11},
    {"Frost", 11},
    {"Lambert", 11},
    {"Stephens", 11},
    {"Blake", 11},
    {"Lynch", 10},
    {"Goodwin", 10},
    {"Barton", 10},
    {"Woodward", 10},
    {"Thomson", 10},
    {"Cunningham", 10},
    {"Quinn", 10},
    {"Barnett", 10},
    {"Baxter", 10},
    {"Clayton", 10},
    {"Nash", 10},
    {"Greenwood", 10},
    {"Jennings", 10},
    {"Holt", 10},
    {"Kemp", 10},
    {"Poole", 10},
    {"Gallagher", 10},
    {"Bond", 10},
    {"Stokes", 10},
    {"Tucker", 10},
    {"Davidson", 10},
    {"Fowler", 10},
    {"Heath", 10},
    {"Norman", 10},
    {"Middleton", 10},
    {"Lawson", 10},
    {"Banks", 10},
    {"French", 10},
    {"Stanley", 10},
    {"Jarvis", 10},
    {"Gibbs", 10},
    {"Ferguson", 10},
    {"Hayward", 10},
    {"Carroll", 10},
    {"Douglas", 10},
    {"Dickinson", 10},
    {"Todd", 10},
    {"Barlow", 10},
    {"Peters", 10},
    {"Lucas", 10},
    {"Knowles", 10},
    {"Hartley", 10},
    {"Simmons", 9},
    {"Morton", 9},
    {"Alexander", 9},
    {"Field", 9},
    {"Morrison", 9},
    {"Norris", 9},
    {"Townsend", 9},
    {"Preston", 9},
    {"Hancock", 9},
    {"Thornton", 9},
    {"Baldwin", 9},
    {"Burrows", 9},
    {"Briggs", 9},
    {"Storey", 9},
    {"Pugh", 9},
    {"Sykes", 9},
    {"Sutcliffe", 8},
    {"Hirst", 8},
    {"Haigh", 7},
    {"Firth", 7},
    {"Brook", 7},
    {"Ackroyd", 6},
    {"Holroyd", 6},
    {"Crowther", 6},
    {"Greaves", 6},
    {"Illingworth", 5},
    {"Ramsden", 5},
    {"Mathews", 4},
    {"Philips", 3},
    {"MacDonald", 4},
    // Double-barrelled names (the hyphen is often dropped by other systems).
    {"Smith-Jones", 3},
    {"Hartley-Brown", 2},
    {"Lloyd-Williams", 2},
    {"Taylor-Smith", 2},
    {"Jones-Parry", 1},
    {"Clarke-Walker", 1},
    {"Wood-Robinson", 1},
    {"Bell-Hughes", 1},
};

// Elements of English place-name surnames for the long tail (Ashworth, Holroyd, ...).
constexpr const char* kTailPrefixes[] = {
    "Ash",   "Black", "Brad",  "Bram", "Brook", "Burn",  "Cal",    "Clay",  "Cold", "Crab",
    "Cross", "Dal",   "Dun",   "East", "Edge",  "Fair",  "Farn",   "Green", "Hal",  "Ham",
    "Hard",  "Hay",   "Heath", "Hol",  "Kirk",  "Lang",  "Lea",    "Mar",   "Mid",  "Mill",
    "Moor",  "New",   "North", "Ock",  "Pen",   "Rad",   "Rams",   "Red",   "Rock", "Rod",
    "Roth",  "Shel",  "Shep",  "Stan", "Stock", "Sun",   "Thorn",  "Tod",   "Wad",  "Wal",
    "West",  "Whit",  "Wil",   "Win",  "Wood",  "Brier", "Hather", "Ather", "Bent", "Birk",
};
constexpr const char* kTailSuffixes[] = {
    "ley",   "ton",   "well",  "worth",  "ford",    "field",  "wood",  "by",    "ham",   "shaw",
    "den",   "combe", "hurst", "royd",   "thwaite", "bridge", "stone", "wick",  "ridge", "land",
    "more",  "gate",  "house", "cliffe", "holme",   "ington", "sley",  "brook", "bury",  "dale",
    "croft", "tree",  "er",    "man",    "all",     "cock",   "ett",   "ing",   "ock",   "ston",
};

// "masculine|feminine" forms where they differ.
constexpr W kSouthAsianSurnames[] = {
    {"Khan", 120},      {"Hussain", 100},     {"Ahmed", 90},       {"Ali", 85},     {"Patel", 80},
    {"Shah", 40},       {"Akhtar", 40},       {"Iqbal", 35},       {"Mahmood", 35}, {"Rahman", 30},
    {"Singh|Kaur", 60}, {"Sharma", 20},       {"Kumar", 15},       {"Mistry", 12},  {"Chauhan", 10},
    {"Parmar", 12},     {"Sandhu", 10},       {"Gill", 12},        {"Bains", 8},    {"Malik", 25},
    {"Mirza", 10},      {"Hanif", 10},        {"Rashid", 15},      {"Aslam", 12},   {"Javed", 10},
    {"Bashir", 12},     {"Qureshi", 12},      {"Chaudhry", 15},    {"Islam", 15},   {"Uddin", 12},
    {"Miah|Begum", 15}, {"Hussain|Bibi", 20}, {"Ahmed|Begum", 15},
};

constexpr W kEasternEuropeanSurnames[] = {
    {"Nowak", 40},
    {"Kowalski|Kowalska", 30},
    {"Wiśniewski|Wiśniewska", 25},
    {"Wójcik", 22},
    {"Kowalczyk", 20},
    {"Kamiński|Kamińska", 18},
    {"Lewandowski|Lewandowska", 18},
    {"Zieliński|Zielińska", 16},
    {"Szymański|Szymańska", 15},
    {"Woźniak", 15},
    {"Dąbrowski|Dąbrowska", 14},
    {"Kozłowski|Kozłowska", 12},
    {"Jankowski|Jankowska", 12},
    {"Mazur", 12},
    {"Kwiatkowski|Kwiatkowska", 10},
    {"Krawczyk", 10},
    {"Piotrowski|Piotrowska", 10},
    {"Grabowski|Grabowska", 9},
    {"Nowicki|Nowicka", 9},
    {"Pawłowski|Pawłowska", 8},
    {"Popescu", 10},
    {"Ionescu", 6},
    {"Popa", 8},
    {"Kazlauskas|Kazlauskienė", 6},
    {"Petrauskas|Petrauskienė", 5},
    {"Horváth", 6},
    {"Kováč|Kováčová", 5},
    {"Novák|Nováková", 5},
};

constexpr W kOtherSurnames[] = {
    {"Okafor", 10},    {"Adeyemi", 10},  {"Mensah", 10}, {"Osei", 8},      {"Campbell", 15},
    {"Francis", 10},   {"Williams", 20}, {"Chen", 12},   {"Wang", 10},     {"Li", 10},
    {"Nguyen", 8},     {"Murphy", 15},   {"Kelly", 12},  {"O'Brien", 10},  {"Mohamed", 12},
    {"Abdi", 8},       {"Ibrahim", 10},  {"Hassan", 10}, {"Brown", 12},    {"Johnson", 12},
    {"Achterberg", 2}, {"Rossi", 5},     {"García", 5},  {"Fernandes", 5}, {"Okonkwo", 5},
};

// British forenames by birth cohort: 0 before 1930, 1 1930-49, 2 1950-69, 3 1970-89,
// 4 1990-2004, 5 from 2005. Ordered by popularity in that cohort (ONS baby-name lists and
// historical top-100 lists); weights fall off as 1/rank^0.9.
constexpr int kCohorts = 6;
constexpr const char* kMaleForenames[kCohorts][30] = {
    {"William", "John",    "George", "Thomas", "James",   "Arthur",  "Frederick", "Albert",
     "Charles", "Robert",  "Joseph", "Alfred", "Ernest",  "Harold",  "Henry",     "Walter",
     "Edward",  "Frank",   "Harry",  "Leslie", "Sidney",  "Stanley", "Reginald",  "Herbert",
     "Percy",   "Wilfred", "Cyril",  "Norman", "Kenneth", "Jack"},
    {"John",    "David",   "Peter",   "Michael", "Brian",    "Alan",   "Anthony", "Robert",
     "William", "James",   "Kenneth", "Dennis",  "Derek",    "Roy",    "Ronald",  "Keith",
     "Raymond", "Terence", "Colin",   "Barry",   "Geoffrey", "Graham", "Roger",   "Malcolm",
     "Trevor",  "Gordon",  "Donald",  "George",  "Eric",     "Frank"},
    {"David",   "John",    "Paul",     "Mark",   "Michael", "Andrew",      "Peter",  "Stephen",
     "Robert",  "Richard", "Ian",      "Steven", "Gary",    "Christopher", "Kevin",  "Alan",
     "Philip",  "Anthony", "Martin",   "Nigel",  "Simon",   "Neil",        "Graham", "Keith",
     "Timothy", "Colin",   "Jonathan", "Trevor", "Derek",   "Geoffrey"},
    {"Christopher", "Matthew", "David",  "James",  "Daniel",   "Andrew", "Michael", "Mark",
     "Paul",        "Richard", "Steven", "Lee",    "Jonathan", "Robert", "Darren",  "Craig",
     "Stephen",     "Thomas",  "Adam",   "Simon",  "Jason",    "Wayne",  "Carl",    "Scott",
     "Dean",        "Anthony", "Ben",    "Gareth", "Ryan",     "Stuart"},
    {"Thomas",      "James",   "Jack",      "Daniel", "Joshua",  "Matthew",  "Samuel", "Joseph",
     "Ryan",        "Luke",    "Callum",    "Jordan", "Liam",    "Benjamin", "Adam",   "Lewis",
     "Jake",        "Connor",  "Alexander", "Harry",  "Oliver",  "Nathan",   "Jamie",  "Michael",
     "Christopher", "Bradley", "Kieran",    "Ben",    "William", "George"},
    {"Oliver",   "Jack",   "Harry",  "Charlie",   "Thomas", "Jacob", "Alfie",   "Riley",
     "William",  "James",  "Joshua", "George",    "Noah",   "Ethan", "Oscar",   "Daniel",
     "Leo",      "Max",    "Logan",  "Archie",    "Lucas",  "Henry", "Freddie", "Isaac",
     "Mohammed", "Samuel", "Joseph", "Alexander", "Dylan",  "Theo"},
};
constexpr const char* kFemaleForenames[kCohorts][30] = {
    {"Mary",     "Margaret", "Elizabeth", "Doris",  "Dorothy", "Joan",     "Florence", "Edith",
     "Winifred", "Irene",    "Kathleen",  "Annie",  "Lilian",  "Gladys",   "Ethel",    "Elsie",
     "Alice",    "Hilda",    "Ivy",       "Violet", "Phyllis", "Marjorie", "Vera",     "Evelyn",
     "Nellie",   "Olive",    "Mabel",     "Emily",  "Ada",     "Jessie"},
    {"Margaret", "Patricia", "Jean",     "Mary",      "Joan",      "Sheila",  "Barbara", "Maureen",
     "Brenda",   "Joyce",    "Kathleen", "Shirley",   "Pauline",   "Valerie", "Eileen",  "Sylvia",
     "Betty",    "Doreen",   "June",     "Audrey",    "Christine", "Sandra",  "Janet",   "Irene",
     "Dorothy",  "Marion",   "Jennifer", "Elizabeth", "Ann",       "Anne"},
    {"Susan",      "Linda",     "Christine", "Margaret", "Janet",     "Patricia",
     "Carol",      "Elizabeth", "Mary",      "Anne",     "Ann",       "Jane",
     "Jacqueline", "Julie",     "Karen",     "Sandra",   "Deborah",   "Gillian",
     "Helen",      "Tracey",    "Alison",    "Lesley",   "Catherine", "Angela",
     "Sarah",      "Elaine",    "Diane",     "Wendy",    "Lorraine",  "Jennifer"},
    {"Sarah",    "Claire", "Emma",  "Nicola",    "Lisa",      "Michelle", "Helen",    "Rachel",
     "Joanne",   "Amanda", "Laura", "Rebecca",   "Kelly",     "Louise",   "Samantha", "Gemma",
     "Victoria", "Donna",  "Karen", "Katherine", "Stephanie", "Lindsay",  "Kerry",    "Hayley",
     "Natalie",  "Dawn",   "Julie", "Tracey",    "Elizabeth", "Zoe"},
    {"Jessica",  "Rebecca", "Lauren",    "Sophie",  "Charlotte", "Hannah",  "Amy",     "Emily",
     "Chloe",    "Emma",    "Laura",     "Sarah",   "Megan",     "Bethany", "Katie",   "Jade",
     "Danielle", "Amber",   "Holly",     "Georgia", "Shannon",   "Ellie",   "Abigail", "Lucy",
     "Olivia",   "Eleanor", "Stephanie", "Natasha", "Kirsty",    "Samantha"},
    {"Olivia",    "Amelia",   "Ruby",  "Emily",    "Grace",  "Jessica", "Sophie",   "Lily",
     "Ava",       "Chloe",    "Isla",  "Mia",      "Ella",   "Evie",    "Isabella", "Poppy",
     "Charlotte", "Isabelle", "Daisy", "Freya",    "Sophia", "Phoebe",  "Lucy",     "Holly",
     "Megan",     "Millie",   "Erin",  "Scarlett", "Ellie",  "Layla"},
};

constexpr const char* kSouthAsianMale[] = {
    "Mohammed", "Muhammad", "Mohammad", "Ali",      "Ahmed",  "Imran",   "Hassan", "Usman",
    "Bilal",    "Zain",     "Adam",     "Ibrahim",  "Yusuf",  "Omar",    "Amir",   "Arjun",
    "Rajesh",   "Sanjay",   "Harpreet", "Gurpreet", "Jaspal", "Sukhdev", "Ravi",   "Vikram",
    "Anil",     "Tariq",    "Shahid",   "Zahid",    "Abdul",  "Aamir"};
constexpr const char* kSouthAsianFemale[] = {
    "Fatima", "Aisha",  "Ayesha", "Maryam",  "Zainab",   "Amina",     "Sana",   "Nadia",
    "Samina", "Shazia", "Rubina", "Nasreen", "Parveen",  "Bushra",    "Hina",   "Priya",
    "Sunita", "Anita",  "Kiran",  "Harjit",  "Gurpreet", "Jasvinder", "Manjit", "Simran",
    "Neha",   "Pooja",  "Asha",   "Zara",    "Hafsa",    "Khadija"};
constexpr const char* kEasternEuropeanMale[] = {
    "Piotr",    "Tomasz",    "Krzysztof", "Paweł",   "Michał", "Marcin", "Łukasz",
    "Jakub",    "Kamil",     "Mateusz",   "Andrzej", "Marek",  "Adam",   "Wojciech",
    "Grzegorz", "Rafał",     "Dariusz",   "Bartosz", "Ionuţ",  "Andrei", "Mihai",
    "Jonas",    "Mindaugas", "Tomas",     "Lukas"};
constexpr const char* kEasternEuropeanFemale[] = {
    "Anna",    "Katarzyna",  "Agnieszka", "Małgorzata", "Joanna",  "Magdalena", "Monika",
    "Ewa",     "Aleksandra", "Karolina",  "Natalia",    "Justyna", "Paulina",   "Marta",
    "Dorota",  "Beata",      "Ioana",     "Elena",      "Andreea", "Agnė",      "Rūta",
    "Jurgita", "Zuzana",     "Lucia",     "Martina"};
constexpr const char* kOtherMale[] = {"Kwame",   "Chinedu", "Emmanuel", "Samuel",    "Tendai",
                                      "Wei",     "Jun",     "Kofi",     "Oluwaseun", "Daniel",
                                      "Ahmed",   "Abdi",    "Joseph",   "David",     "Liam",
                                      "Patrick", "Sean",    "Marco",    "Luis",      "Ryan"};
constexpr const char* kOtherFemale[] = {"Grace", "Blessing", "Precious", "Abena",   "Chipo",
                                        "Mei",   "Xin",      "Ngozi",    "Esther",  "Faith",
                                        "Amina", "Hodan",    "Mary",     "Siobhan", "Aoife",
                                        "Chloe", "Maria",    "Sofia",    "Ruth",    "Joy"};

int Cohort(int birth_year) {
  if (birth_year < 1930) return 0;
  if (birth_year < 1950) return 1;
  if (birth_year < 1970) return 2;
  if (birth_year < 1990) return 3;
  if (birth_year < 2005) return 4;
  return 5;
}

std::vector<double> RankWeights(size_t n, double exponent) {
  std::vector<double> w(n);
  for (size_t i = 0; i < n; ++i) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), exponent);
  return w;
}

// Name variant groups: any member may be replaced by another member of its group.
constexpr const char* kVariantGroups[][6] = {
    {"John", "Jon", "Jonny"},
    {"Catherine", "Katherine", "Kathryn", "Kate", "Cath", "Kathy"},
    {"Stephen", "Steven", "Steve"},
    {"Philip", "Phillip", "Phil"},
    {"Geoffrey", "Jeffrey", "Geoff"},
    {"Sean", "Shaun", "Shawn"},
    {"Mohammed", "Muhammad", "Mohammad", "Mohamed", "Muhammed"},
    {"Ann", "Anne"},
    {"Claire", "Clare"},
    {"Elizabeth", "Elisabeth", "Liz", "Beth", "Lizzie"},
    {"Jacqueline", "Jaqueline", "Jackie"},
    {"Lindsay", "Lindsey"},
    {"Tracey", "Tracy"},
    {"Zoe", "Zoë"},
    {"Matthew", "Mathew", "Matt"},
    {"Alan", "Allan", "Allen"},
    {"Neil", "Neal"},
    {"Carl", "Karl"},
    {"Graham", "Graeme"},
    {"Gemma", "Jemma"},
    {"Rebecca", "Rebekah", "Becky"},
    {"Isabelle", "Isabel", "Isobel"},
    {"Aisha", "Ayesha"},
    {"Fatima", "Fatimah"},
    {"Katarzyna", "Kasia"},
    {"Małgorzata", "Malgorzata", "Gosia"},
    {"Paweł", "Pawel"},
    {"Michał", "Michal"},
    {"Łukasz", "Lukasz"},
    {"William", "Bill", "Will"},
    {"Robert", "Bob", "Rob"},
    {"Margaret", "Maggie", "Peggy"},
    {"Thomas", "Tom", "Tommy"},
    {"James", "Jim", "Jimmy"},
    {"Michael", "Mike", "Mick"},
    {"Christopher", "Chris"},
    {"Anthony", "Tony"},
    {"Patricia", "Pat", "Trish"},
    {"Susan", "Sue"},
    {"Richard", "Rick", "Dick"},
    {"Edward", "Ted", "Eddie"},
    {"Dorothy", "Dot"},
    {"Frederick", "Fred"},
    {"Albert", "Bert"},
    {"Alexander", "Alex"},
    {"Jennifer", "Jenny"},
    {"Daniel", "Dan", "Danny"},
    {"Samuel", "Sam"},
    {"Joseph", "Joe"},
    {"Benjamin", "Ben"},
    {"Andrew", "Andy"},
    {"David", "Dave"},
    {"Kenneth", "Ken"},
    {"Ronald", "Ron"},
    {"Deborah", "Debbie", "Debra"},
    {"Victoria", "Vicky", "Vikki"},
    {"Charles", "Charlie"},
    {"Thompson", "Thomson"},
    {"Clarke", "Clark"},
    {"Davies", "Davis"},
    {"Matthews", "Mathews"},
    {"Phillips", "Philips"},
    {"Stephens", "Stevens"},
    {"Stephenson", "Stevenson"},
    {"Reid", "Read", "Reed"},
    {"Cooke", "Cook"},
    {"Hussain", "Hussein"},
    {"Ahmed", "Ahmad"},
    {"Chaudhry", "Chaudhary"},
    {"McDonald", "MacDonald", "Macdonald"},
};

// Latin-alphabet letters with diacritics used in the lists, and their base letters.
struct Fold {
  const char* from;
  const char* to;
};
constexpr Fold kFolds[] = {
    {"ą", "a"}, {"ć", "c"}, {"ę", "e"}, {"ł", "l"}, {"ń", "n"}, {"ó", "o"}, {"ś", "s"},
    {"ź", "z"}, {"ż", "z"}, {"Ł", "L"}, {"Ś", "S"}, {"Ż", "Z"}, {"á", "a"}, {"č", "c"},
    {"ė", "e"}, {"ū", "u"}, {"ţ", "t"}, {"š", "s"}, {"ë", "e"}, {"í", "i"}, {"é", "e"},
};

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

NameTables::NameTables() {
  auto build = [](std::vector<std::string> names, const std::vector<double>& weights) {
    Weighted w;
    w.names = std::move(names);
    w.dist = Discrete(weights);
    return w;
  };

  // British surnames: the head list (weights are people per 100,000, together ~22% of
  // people) plus a Zipf tail for everyone else.
  {
    std::vector<std::string> names;
    std::vector<double> weights;
    double head_total = 0;
    for (const W& s : kBritishSurnames) head_total += s.weight;
    const double head_share = head_total / 100000;
    for (const W& s : kBritishSurnames) {
      names.emplace_back(s.name);
      weights.push_back(s.weight / 100000);
    }
    // Tail: every prefix x (linking syllable) x suffix, in a fixed pseudo-random order, with
    // Zipf weights ~ 1/(rank + 300): from ~70 to ~2 people per 100,000 each.
    std::vector<std::string> tail;
    for (const char* middle : {"", "er", "ing", "en", "es"}) {
      for (const char* p : kTailPrefixes) {
        for (const char* s : kTailSuffixes) tail.push_back(std::string(p) + middle + s);
      }
    }
    std::sort(tail.begin(), tail.end());
    tail.erase(std::unique(tail.begin(), tail.end()), tail.end());
    Rng order(0x7A11'5EED);
    for (size_t i = tail.size(); i > 1; --i) std::swap(tail[i - 1], tail[order.Below(i)]);
    double tail_total = 0;
    for (size_t i = 0; i < tail.size(); ++i) tail_total += 1.0 / (static_cast<double>(i) + 300);
    for (size_t i = 0; i < tail.size(); ++i) {
      names.push_back(tail[i]);
      weights.push_back(1.0 / (static_cast<double>(i) + 300) / tail_total * (1 - head_share));
    }
    surnames_[0] = build(std::move(names), weights);
  }
  auto from_w = [&](std::span<const W> list) {
    std::vector<std::string> names;
    std::vector<double> weights;
    for (const W& s : list) {
      names.emplace_back(s.name);
      weights.push_back(s.weight);
    }
    return build(std::move(names), weights);
  };
  surnames_[1] = from_w(kSouthAsianSurnames);
  surnames_[2] = from_w(kEasternEuropeanSurnames);
  surnames_[3] = from_w(kOtherSurnames);

  auto from_list = [&](std::span<const char* const> list, double exponent) {
    std::vector<std::string> names(list.begin(), list.end());
    return build(std::move(names), RankWeights(list.size(), exponent));
  };
  for (int c = 0; c < kCohorts; ++c) {
    forenames_[0][0].push_back(from_list(kMaleForenames[c], 0.9));
    forenames_[0][1].push_back(from_list(kFemaleForenames[c], 0.9));
  }
  forenames_[1][0].push_back(from_list(kSouthAsianMale, 0.6));
  forenames_[1][1].push_back(from_list(kSouthAsianFemale, 0.6));
  forenames_[2][0].push_back(from_list(kEasternEuropeanMale, 0.6));
  forenames_[2][1].push_back(from_list(kEasternEuropeanFemale, 0.6));
  forenames_[3][0].push_back(from_list(kOtherMale, 0.5));
  forenames_[3][1].push_back(from_list(kOtherFemale, 0.5));
}

NameOrigin NameTables::SampleOrigin(Rng& rng, int birth_year, int imd_decile) const {
  // Shares are documented in docs/synthetic-data.md (names): overall about 89% British,
  // 6% South Asian, 2-3% Eastern European and 3% other, in a West Yorkshire-like city.
  double south_asian = 0.02 + 0.008 * (10 - imd_decile);  // 2% affluent .. 9% deprived
  double eastern = (birth_year >= 1970 && birth_year < 1996) || birth_year >= 2005 ? 0.05 : 0.005;
  double other = 0.03;
  if (birth_year < 1940) south_asian *= 0.3;
  const double u = rng.Uniform();
  if (u < south_asian) return NameOrigin::kSouthAsian;
  if (u < south_asian + eastern) return NameOrigin::kEasternEuropean;
  if (u < south_asian + eastern + other) return NameOrigin::kOther;
  return NameOrigin::kBritish;
}

std::string NameTables::Surname(Rng& rng, NameOrigin origin, int sex) const {
  const Weighted& w = surnames_[static_cast<int>(origin)];
  const std::string& raw = w.names[w.dist.Sample(rng)];
  const size_t bar = raw.find('|');
  if (bar == std::string::npos) return raw;
  return sex == 2 ? raw.substr(bar + 1) : raw.substr(0, bar);
}

std::string_view NameTables::Forename(Rng& rng, NameOrigin origin, int sex, int birth_year) const {
  const auto& by_cohort = forenames_[static_cast<int>(origin)][sex == 2 ? 1 : 0];
  int cohort = by_cohort.size() == 1 ? 0 : Cohort(birth_year);
  // One British name in five comes from a neighbouring cohort: names persist across decades.
  if (by_cohort.size() > 1 && rng.Bernoulli(0.2)) {
    cohort = std::clamp(cohort + (rng.Bernoulli(0.5) ? 1 : -1), 0, kCohorts - 1);
  }
  const Weighted& w = by_cohort[cohort];
  return w.names[w.dist.Sample(rng)];
}

size_t NameTables::surname_count() const {
  size_t n = 0;
  for (const Weighted& w : surnames_) n += w.names.size();
  return n;
}

bool HasNameVariant(std::string_view name) {
  for (const auto& group : kVariantGroups) {
    for (const char* member : group) {
      if (member != nullptr && name == member) return true;
    }
  }
  return false;
}

std::string NameVariant(std::string_view name, Rng& rng) {
  for (const auto& group : kVariantGroups) {
    int size = 0;
    int self = -1;
    for (const char* member : group) {
      if (member == nullptr) break;
      if (name == member) self = size;
      ++size;
    }
    if (self < 0) continue;
    int pick = rng.Between(0, size - 2);
    if (pick >= self) ++pick;
    return group[pick];
  }
  return std::string(name);
}

std::string NameTypo(std::string_view name, Rng& rng) {
  std::string s(name);
  std::vector<int> letters;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsAsciiLetter(s[i])) letters.push_back(static_cast<int>(i));
  }
  if (letters.size() < 3) return s;
  const int kind = rng.Between(0, 2);
  if (kind == 0) {
    // Transpose two adjacent letters that differ (not the first letter, which people check).
    for (int attempt = 0; attempt < 10; ++attempt) {
      const size_t k = 1 + rng.Below(letters.size() - 2);
      const int a = letters[k];
      const int b = letters[k + 1];
      if (b == a + 1 && s[a] != s[b]) {
        std::swap(s[a], s[b]);
        return s;
      }
    }
  }
  const int pos = letters[1 + rng.Below(letters.size() - 1)];
  if (kind == 2) {
    s.insert(s.begin() + pos, s[pos]);  // doubled letter
  } else {
    s.erase(s.begin() + pos);  // dropped letter
  }
  return s;
}

std::string NameKeyingError(std::string_view name, Rng& rng) {
  std::string s(name);
  std::vector<int> letters;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsAsciiLetter(s[i])) letters.push_back(static_cast<int>(i));
  }
  if (letters.size() < 2) return s;
  auto is_upper = [&](size_t i) { return i < s.size() && s[i] >= 'A' && s[i] <= 'Z'; };
  auto letter = [&](bool capital) {
    return static_cast<char>((capital ? 'A' : 'a') + static_cast<int>(rng.Below(26)));
  };
  auto with_case = [](char c, bool capital) {
    const bool up = c >= 'A' && c <= 'Z';
    if (up == capital) return c;
    return static_cast<char>(capital ? c - 'a' + 'A' : c - 'A' + 'a');
  };
  const size_t k = rng.Below(letters.size());
  const size_t pos = static_cast<size_t>(letters[k]);
  switch (rng.Between(0, 3)) {
    case 0: {  // substitute, keeping the case of the letter replaced
      const bool capital = is_upper(pos);
      char c = letter(capital);
      if (c == s[pos]) c = static_cast<char>(c == (capital ? 'Z' : 'z') ? c - 1 : c + 1);
      s[pos] = c;
      break;
    }
    case 1:  // insert after this letter, in the case of the letters around it
      s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos) + 1,
               letter(is_upper(pos) && (pos + 1 >= s.size() || is_upper(pos + 1))));
      break;
    case 2:  // delete
      if (letters.size() > 3) s.erase(s.begin() + static_cast<std::ptrdiff_t>(pos));
      break;
    default:  // transpose with the next letter, keeping the capitalisation pattern
      if (k + 1 < letters.size() && static_cast<size_t>(letters[k + 1]) == pos + 1) {
        const bool cap_a = is_upper(pos), cap_b = is_upper(pos + 1);
        std::swap(s[pos], s[pos + 1]);
        s[pos] = with_case(s[pos], cap_a);
        s[pos + 1] = with_case(s[pos + 1], cap_b);
      }
      break;
  }
  return s;
}

bool HasPunctuation(std::string_view name) {
  return name.find('-') != std::string_view::npos || name.find('\'') != std::string_view::npos;
}

std::string DropPunctuation(std::string_view name, Rng& rng) {
  const bool space = rng.Bernoulli(0.5);
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '\'') {
      if (space) out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool HasDiacritics(std::string_view name) {
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

std::string StripDiacritics(std::string_view name) {
  std::string out;
  size_t i = 0;
  while (i < name.size()) {
    bool folded = false;
    if (static_cast<unsigned char>(name[i]) >= 0x80) {
      for (const Fold& f : kFolds) {
        const std::string_view from(f.from);
        if (name.substr(i, from.size()) == from) {
          out += f.to;
          i += from.size();
          folded = true;
          break;
        }
      }
    }
    if (!folded) out.push_back(name[i++]);
  }
  return out;
}

std::string UpperAscii(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace pioneer::synth
