"""Free texts for the synthetic demo reports: written for the demo after the
kinds of phenomena the published summaries describe; not real reports."""

# theme -> observations (negative)
NEGATIVE = {
    "service_availability": [
        "Asiakkaat joutuvat odottamaan sosiaalityöntekijän tapaamista useita viikkoja, ja osa luopuu avun hakemisesta odotuksen aikana.",
        "Matalan kynnyksen palveluja ja lähipalveluja ei ole enää pienemmissä kunnissa, ja asiointi toisella paikkakunnalla on monelle taloudellisesti mahdotonta.",
        "Palveluihin pääsyn kriteerit ovat tiukentuneet, ja väliinputoajiksi jäävät ne, joiden tuen tarve ei sovi mihinkään yksittäiseen palveluun.",
        "Asiakkaiden tuen tarpeisiin vastaavia asumispalveluja ei ole tarjolla, ja asiakkaat ohjautuvat päivystykseen.",
    ],
    "child_wellbeing": [
        "Kouluakäymättömyys on lisääntynyt, eikä koululla, perhepalveluilla tai lastensuojelulla ole riittäviä keinoja tilanteiden purkamiseen.",
        "Mediankäyttö aiheuttaa lapsille univaikeuksia ja ristiriitoja perheissä; vanhemmat kaipaavat tukea rajojen asettamiseen.",
        "Omaishoitajina toimivien lasten arki kuormittuu, eikä heidän tilanteensa tule tunnistetuksi palveluissa.",
    ],
    "functional_capacity": [
        "Kuntouttavan työtoiminnan asiakkailla on usein samanaikaisesti mielenterveys- ja päihdeongelmia sekä muistiongelmia, joita ei ole arvioitu.",
        "Sairauspäivärahojen ja työkyvyttömyyseläkkeiden hylkäykset ovat lisääntyneet, ja asiakkaat jäävät ilman tuloja selvittelyn ajaksi.",
        "Toimintakyvyn laskiessa ikääntyneen elinpiiri pienenee yllättäen, eikä kodin ulkopuolista asiointia ole järjestetty.",
    ],
    "social_exclusion": [
        "Yksinäiset miessukupuoliset asiakkaat eivät hakeudu palveluihin ja jäävät tukiverkon ulkopuolelle.",
        "Nuorilla aikuisilla kasautuvat mielenterveys- ja päihdeongelmat sekä keskeytyneet opinnot; kontakti palveluihin katkeaa helposti.",
    ],
    "authority_cooperation": [
        "Terveydenhuollon ja sosiaalihuollon tiedonkulku katkeaa, kun työttömän terveystarkastuksen jono on kuukausia pitkä.",
        "Monipalveluasiakkaan asiat etenevät hitaasti, koska vastuu jakautuu usealle toimijalle eikä kukaan kokoa kokonaisuutta.",
    ],
    "livelihood": [
        "Asumistuen ja muiden etuuksien leikkaukset näkyvät vuokrarästeinä ja häätöuhkina; selvittelyavun tarve on kasvanut.",
        "Asiakkaat joutuvat valitsemaan lääkkeiden ja ruoan välillä kuun lopussa, ja ruokajakelun kävijämäärät ovat nousseet.",
        "Toimeentulon epävarmuus kuormittaa asiakkaiden mielenterveyttä, ja uutiset lomautuksista lisäävät huolta.",
    ],
    "mental_health": [
        "Mielenterveyspalvelujen jonot ovat pitkiä, ja avun saamisen hitaus lannistaa asiakkaita, jotka olisivat valmiita ottamaan apua vastaan.",
        "Nuorten itsetuhoisuus ja väkivaltainen käytös ovat lisääntyneet, eikä nopeaa psykiatrista arviota ole saatavilla.",
        "Neuropsykiatrisesti oireilevat nuoret aikuiset eivät saa arviota eivätkä tukea arjen hallintaan.",
    ],
    "family_support": [
        "Vauvaperheiden tuen tarpeet ovat lisääntyneet, ja asiakkuus alkaa yhä useammin vasta lastensuojelussa.",
        "Maahanmuuttajavanhempien tuen tarve on suuri kotoutumisvaiheen tuen päätyttyä, erityisesti talous- ja kouluasioissa.",
        "Vanhemmuuden ja arjen haasteet ovat lisääntyneet, ja ennaltaehkäisevää perhetyötä on liian vähän pikkulapsivaiheessa.",
    ],
    "housing": [
        "Uuden asunnon saaminen on vaikeaa luottohäiriömerkintöjen ja vanhojen vuokravelkojen vuoksi.",
        "Asunnoissa on luteita, eikä asukkailla ole varaa torjuntaan; ongelma leviää taloyhtiössä.",
    ],
    "digital_exclusion": [
        "Ikääntyneet ja vähävaraiset asiakkaat eivät osaa asioida digitaalisesti, eikä heillä ole tukea lähipiirissä.",
        "Pankki- ja Kela-asiointi on siirtynyt verkkoon, ja osa asiakkaista jää kokonaan palvelujen ulkopuolelle.",
    ],
    "substance_use": [
        "Päihteitä käyttäviin asiakkaisiin kohdistuu syrjiviä asenteita terveydenhuollossa, mikä heikentää hoitoon hakeutumista.",
        "Päihdekuntoutus ei toteudu, kun asiakkaalla on kognition haasteita ja heikko fyysinen kunto.",
    ],
    "working_practices": [
        "Palvelupolku katkeaa, kun asiakas siirtyy nuorten palveluista aikuisten palveluihin.",
    ],
}

POSITIVE = [
    "Hyvinvointialueen työkykykoordinaattori osallistuu aktivointisuunnitelmien tekoon, jolloin tieto hoidoista ja kuntoutuksista saadaan heti.",
    "Kehitysvammaisten asiakkaiden tukitiimi ehkäisee kriisejä arjen ohjaustyön tukena.",
    "Vammaispalvelujen asumisyksiköiden varahenkilöjärjestelmä toimii: tutut työntekijät käyvät yksiköissä.",
    "Sosiaalityöntekijöiden ja sosiaaliohjaajien yhteistyö on kehittynyt ja asiakkaan asiat etenevät sujuvammin.",
    "Omatyöntekijä voi osallistua palveluasumisen työryhmään, mikä nopeuttaa päätöksiä.",
    "Ruokajakelu toimii matalan kynnyksen kohtaamispaikkana, joka vähentää yksinäisyyttä.",
    "Perhesosiaalityön ja lastensuojelun yhteistyö toimii, kun odottava äiti tarvitsee tukea.",
]

NEUTRAL = [
    "Asiakkaat kysyvät entistä useammin neuvoa sosiaaliturvamuutosten vaikutuksista omaan talouteensa.",
    "Omaiset haluavat olla enemmän läsnä seniorin arjessa ja kysyvät keinoja yhteydenpitoon.",
    "Asiakkaiden tiedot saatavilla olevasta tuesta vaihtelevat paljon; osa ei tiedä, mihin ottaa yhteyttä.",
    "Työntekijöiden toimintakäytännöt vaihtelevat yksiköittäin samankaltaisissa tilanteissa.",
    "Työllisyyspalvelujen siirto kunnille on herättänyt asiakkaissa kysymyksiä vastuista.",
]

PROPOSALS = {
    "service_availability": "Osa-aikaiset lähipalvelut ja ohjaus ympäristökuntiin; jalkautuminen ruokajonoihin.",
    "child_wellbeing": "Ennaltaehkäisevää toimintaa alakouluihin ja opiskeluhuolto mukaan siirtopalavereihin.",
    "functional_capacity": "Työkyvyn selvittelyn kehittäminen ja työkykykoordinaattori työpariksi työttömien terveydenhoitajalle.",
    "social_exclusion": "Selvitetään yksinäisten, ilman tukiverkkoa olevien asiakkaiden tilanteita ilmiön hahmottamiseksi.",
    "authority_cooperation": "Sovitaan monipalveluasiakkaille yksi vastuutyöntekijä ja yhteinen suunnitelma.",
    "livelihood": "Järjestöjen ruokajakelun tukeminen julkisin varoin ja talousneuvonnan jalkauttaminen.",
    "mental_health": "Nuorten aikuisten mielenterveysosaamisen vahvistaminen ja varhainen puuttuminen yhdessä terveydenhuollon kanssa.",
    "family_support": "Ennaltaehkäisevän perhetyön lisääminen pikkulapsivaiheessa.",
    "housing": "Asumisneuvonta ja vuokravelkojen sovittelu ennen häätöä.",
    "digital_exclusion": "Palvelujen saatavuus varmistetaan myös niille, joilla on haasteita digitaalisessa asioinnissa.",
    "substance_use": "Matalan kynnyksen toiminta päihteitä käyttäville ja toipuvien ottaminen mukaan toteutukseen.",
    "working_practices": "Hyvä käytäntö levitetään muihin yksiköihin ja kuvataan palvelukuvaukseen.",
}

CLIENT_VOICES = [
    "Kun vihdoin uskaltaa pyytää apua, sitä pitää odottaa kuukausia.",
    "En tiedä, kenelle soittaa, kun jokainen ohjaa eteenpäin.",
    "Ostanko lääkkeet vai ruoan – siihen tämä kuukausi menee.",
    "Ruokajakelussa saa jutella jonkun kanssa, muuten en näe ketään viikkoon.",
    "Kelan asiointipiste on vaikea, en uskalla käyttää sitä.",
    "Sama työntekijä koko ajan auttaisi, nyt joutuu kertomaan kaiken aina uudestaan.",
    "Lapsi ei ole käynyt koulussa kuukauteen, eikä kukaan tiedä mitä tehdä.",
    "Tukitiimi tuli heti paikalle, ja tilanne rauhoittui.",
]

FOLLOWUP_GROUPS = [
    "Sosiaalityön kehittäjät -ryhmä",
    "Rakenteellisen sosiaalityön työryhmä",
    "Työikäisten palvelujen tulosyksikön johtoryhmä",
]
FOLLOWUP_FORWARDED = [
    "Alueellinen HYTE-ryhmä",
    "Kunnan hyvinvointikoordinaattori",
    "Perhe- ja sosiaalipalvelujen johtoryhmä",
    "Järjestöyhteistyön verkosto",
]
FOLLOWUP_ACTIONS = [
    "Kirjattu alueelliseen hyvinvointikertomukseen.",
    "Käynnistetty kokeilu matalan kynnyksen palvelusta.",
    "Käsitelty hankesuunnittelussa; rahoitushaku valmisteilla.",
    "Ohjeistus päivitetty ja jaettu yksiköihin.",
]
