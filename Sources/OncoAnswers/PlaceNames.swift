import OncoKnowledge

/// Where a person says they are, read from the places they name: the first-level
/// subdivisions of ISO 3166-2 (US states, Chinese provinces and municipalities, Japanese
/// prefectures, South Korean provinces and metropolitan cities, Indian states, the UK's
/// nations) and the capitals and largest cities of the countries whose labels OncoNav
/// holds. A place gives the region whose label applies to the person.
enum PlaceNames {
    static let regions: [(String, Region)] = {
        var list: [(String, Region)] = []
        func add(_ names: [String], _ region: Region) { list += names.map { (TextMatching.normalize($0), region) } }
        // ISO 3166-2:US (states and the District of Columbia) and the largest US cities.
        add(["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
             "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
             "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
             "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
             "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
             "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
             "Puerto Rico",
             "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia", "San Antonio", "San Diego", "Dallas",
             "Austin", "Jacksonville", "San Francisco", "Seattle", "Denver", "Boston", "Nashville", "Baltimore",
             "Atlanta", "Miami", "Minneapolis", "Cleveland", "Pittsburgh", "Detroit", "Tampa", "Orlando", "Rochester",
             "St Louis", "Salt Lake City", "Portland", "Columbus", "Cincinnati", "Charlotte", "Indianapolis"], .us)
        // ISO 3166-2:CN (provincial-level divisions) and large cities.
        add(["Beijing", "Shanghai", "Tianjin", "Chongqing", "Guangdong", "Guangzhou", "Shenzhen", "Sichuan", "Chengdu",
             "Zhejiang", "Hangzhou", "Jiangsu", "Nanjing", "Suzhou", "Hubei", "Wuhan", "Hunan", "Changsha", "Shandong",
             "Jinan", "Qingdao", "Henan", "Zhengzhou", "Hebei", "Shijiazhuang", "Fujian", "Fuzhou", "Xiamen", "Anhui",
             "Hefei", "Liaoning", "Shenyang", "Dalian", "Jilin", "Changchun", "Heilongjiang", "Harbin", "Shaanxi",
             "Xi'an", "Shanxi", "Taiyuan", "Yunnan", "Kunming", "Guizhou", "Guiyang", "Guangxi", "Nanning", "Jiangxi",
             "Nanchang", "Gansu", "Lanzhou", "Hainan", "Haikou", "Inner Mongolia", "Xinjiang", "Tibet", "Ningxia", "Qinghai"], .cn)
        // ISO 3166-2:JP (the larger prefectures) and cities.
        add(["Tokyo", "Osaka", "Kyoto", "Hokkaido", "Sapporo", "Aichi", "Nagoya", "Kanagawa", "Yokohama", "Kawasaki",
             "Hyogo", "Kobe", "Fukuoka", "Hiroshima", "Miyagi", "Sendai", "Chiba", "Saitama", "Shizuoka", "Niigata",
             "Okayama", "Kumamoto", "Kagoshima", "Okinawa", "Nagasaki", "Nara"], .jp)
        // ISO 3166-2:KR (special and metropolitan cities, provinces).
        add(["Seoul", "Busan", "Daegu", "Incheon", "Gwangju", "Daejeon", "Ulsan", "Sejong", "Gyeonggi", "Gangwon",
             "Chungcheong", "Jeolla", "Gyeongsang", "Jeju"], .kr)
        // ISO 3166-2:IN (the larger states) and cities.
        add(["Delhi", "New Delhi", "Mumbai", "Bombay", "Maharashtra", "Bengaluru", "Bangalore", "Karnataka", "Chennai",
             "Madras", "Tamil Nadu", "Kolkata", "Calcutta", "West Bengal", "Hyderabad", "Telangana", "Pune", "Ahmedabad",
             "Gujarat", "Kerala", "Kochi", "Uttar Pradesh", "Lucknow", "Rajasthan", "Jaipur", "Punjab", "Chandigarh",
             "Andhra Pradesh", "Bihar", "Odisha", "Madhya Pradesh"], .in)
        // ISO 3166-2:GB (nations) and the largest UK cities.
        add(["Wales", "Northern Ireland", "London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Liverpool",
             "Edinburgh", "Bristol", "Sheffield", "Newcastle", "Cardiff", "Belfast", "Nottingham", "Leicester",
             "Southampton", "Oxford", "Cambridge"], .uk)
        // Capitals and the largest cities of EU member states.
        add(["Berlin", "Hamburg", "Munich", "München", "Cologne", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf",
             "Heidelberg", "Dresden", "Leipzig", "Paris", "Lyon", "Marseille", "Toulouse", "Lille", "Bordeaux", "Nantes",
             "Madrid", "Barcelona", "Valencia", "Seville", "Sevilla", "Bilbao", "Rome", "Roma", "Milan", "Milano",
             "Naples", "Napoli", "Turin", "Torino", "Bologna", "Florence", "Firenze", "Amsterdam", "Rotterdam",
             "Utrecht", "The Hague", "Brussels", "Bruxelles", "Antwerp", "Ghent", "Leuven", "Liège", "Vienna", "Wien",
             "Stockholm", "Gothenburg", "Copenhagen", "Helsinki", "Dublin", "Lisbon", "Lisboa", "Porto", "Athens",
             "Warsaw", "Kraków", "Prague", "Budapest", "Bucharest", "Zagreb", "Ljubljana", "Bratislava",
             "Vilnius", "Riga", "Tallinn", "Luxembourg", "Valletta", "Nicosia", "Czech Republic", "Czechia", "Hungary",
             "Romania", "Bulgaria", "Croatia", "Slovenia", "Slovakia", "Lithuania", "Latvia", "Estonia", "Malta", "Cyprus"], .eu)
        return list
    }()
}
