#include "pioneer/link/nicknames.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace pioneer::link {
namespace {

// One group per line: the formal name first, then nicknames and spelling variants.
constexpr const char* kGroups[] = {
    "william bill billy will willy willie liam wills",
    "robert bob bobby rob robbie robin bert",
    "richard rick ricky dick richie rich",
    "james jim jimmy jamie jimi",
    "john jack johnny jon jonny",
    "jonathan jon jonny johnathan jonathon nathan",
    "michael mike mick micky mickey mikey",
    "thomas tom tommy thom",
    "christopher chris kit topher",
    "christine chris tina chrissie christina kristina",
    "daniel dan danny",
    "david dave davy davey",
    "anthony tony antony",
    "edward ed ted eddie ned teddy",
    "joseph joe joey jo",
    "matthew matt mat matty",
    "andrew andy drew",
    "alexander alex alec sandy xander alexandre",
    "alexandra alex sandra lexi sasha alexa",
    "benjamin ben benny benji",
    "samuel sam sammy",
    "samantha sam sammie sammy",
    "nicholas nick nicky nico",
    "nicola nicky nikki nicole",
    "stephen steve steven stevie stephan",
    "peter pete",
    "charles charlie chas chuck",
    "charlotte lottie charlie lotte",
    "henry harry hal hank",
    "harold harry hal",
    "francis frank frankie fran",
    "frances fran frankie fanny",
    "frederick fred freddie freddy",
    "lawrence larry laurence laurie",
    "leonard len lenny leo",
    "raymond ray",
    "ronald ron ronnie",
    "donald don donnie",
    "kenneth ken kenny",
    "timothy tim timmy",
    "gregory greg",
    "philip phil phillip pip",
    "terence terry terrence",
    "patrick pat paddy",
    "patricia pat trish patsy tricia",
    "gerald gerry jerry",
    "geoffrey geoff jeff jeffrey",
    "sean shaun shawn",
    "lewis louis lou",
    "mohammed muhammad mohammad mohamed mohamad",
    "elizabeth liz beth betty eliza lizzie libby bess elisabeth",
    "margaret maggie peggy meg margo marge",
    "catherine kate cathy katie kathryn katherine kath kitty kay",
    "jennifer jenny jen jenna",
    "susan sue susie suzanne",
    "deborah debbie debra deb",
    "rebecca becky becca",
    "victoria vicky tori vikki",
    "jessica jess jessie",
    "abigail abby abi gail",
    "dorothy dot dolly dottie",
    "ann anne annie anna",
    "sarah sara sally",
    "mary molly polly mae",
    "amanda mandy",
    "kimberley kim kimberly",
    "stephanie steph stevie",
    "natalie nat nathalie",
    "jacqueline jackie jacky",
    "gillian gill jill",
    "joanne jo joanna joann",
    "olivia liv livvy",
    "amelia millie amy emilia",
    "emily emilie em emmy",
    "hannah hanna",
    "zoe zoey",
    "tracey tracy",
    "claire clare",
    "louise lou",
    "eileen aileen",
    "helen ellen nell",
    "eleanor ellie nora elinor",
    "barbara barb babs",
    "valerie val",
    "josephine jo josie",
    "isabel izzy isabelle isobel bella",
    "daniela dani",
};

struct Table {
  std::unordered_map<std::string, NicknameGroups> groups;
  Table() {
    uint16_t g = 0;
    for (const char* line : kGroups) {
      ++g;
      std::string_view rest(line);
      while (!rest.empty()) {
        const size_t sp = rest.find(' ');
        const std::string name(rest.substr(0, sp));
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
        NicknameGroups& ng = groups[name];
        for (uint16_t& slot : ng) {
          if (slot == g) break;
          if (slot == 0) {
            slot = g;
            break;
          }
        }
      }
    }
  }
};

const Table& TheTable() {
  static const Table* t = new Table();
  return *t;
}

}  // namespace

NicknameGroups NicknameGroupsOf(std::string_view name) {
  const Table& t = TheTable();
  auto it = t.groups.find(std::string(name));
  return it == t.groups.end() ? NicknameGroups{} : it->second;
}

}  // namespace pioneer::link
