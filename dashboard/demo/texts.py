"""Free texts for the synthetic demo reports: written for the demo after the
kinds of phenomena the published summaries describe; not real reports.

Every text carries the labels it fits: the observation types and themes it
speaks to, and the target groups it names (empty: it names none, so it fits a
report of any group). A report gets only texts that agree with its labels
(:func:`fitting`): its type, its first theme, and no group that the report
does not have. A quote read out in a meeting must fit its report.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import autumn2024

NEG, POS, NEU = ("negative",), ("positive",), ("neutral",)
NOT_POSITIVE = ("negative", "neutral")
ALL_THEMES = (
    "service_availability",
    "child_wellbeing",
    "functional_capacity",
    "working_practices",
    "social_exclusion",
    "authority_cooperation",
    "livelihood",
    "mental_health",
    "family_support",
    "housing",
    "digital_exclusion",
    "substance_use",
)
WORKING_AGE, FAMILIES, DISABLED, OLDER, SUBSTANCE = (
    ("working_age",),
    ("children_families",),
    ("disabled",),
    ("older_people",),
    ("substance",),
)


@dataclass(frozen=True)
class Text:
    text: str
    types: tuple[str, ...]
    themes: tuple[str, ...]
    groups: tuple[str, ...] = ()  # the target groups the text names; () names none
    scripted: bool = False  # written for one scripted report (autumn2024), never drawn at random

    def fits(self, observation_type: str, theme: str, groups: tuple[str, ...] | frozenset[str]) -> bool:
        return observation_type in self.types and theme in self.themes and set(self.groups) <= set(groups)


def _texts(types: tuple[str, ...], theme: str, *entries: str | tuple[str, tuple[str, ...]]) -> list[Text]:
    return [Text(e, types, (theme,)) if isinstance(e, str) else Text(e[0], types, (theme,), e[1]) for e in entries]


OBSERVATIONS: list[Text] = [
    # ---- negative ------------------------------------------------------------------
    *_texts(
        NEG,
        "service_availability",
        "Asiakkaat joutuvat odottamaan sosiaalityöntekijän tapaamista useita viikkoja, ja osa luopuu avun "
        "hakemisesta jonon aikana.",
        "Matalan kynnyksen palveluja ja lähipalveluja ei ole enää pienemmissä kunnissa, ja asiointi toisella "
        "paikkakunnalla on monelle taloudellisesti mahdotonta.",
        "Palveluihin pääsyn kriteerit ovat tiukentuneet, ja väliinputoajiksi jäävät ne, joiden tuen tarve ei sovi "
        "mihinkään yksittäiseen palveluun.",
        "Asiakkaiden tuen tarpeisiin vastaavia asumispalveluja ei ole tarjolla, ja asiakkaat ohjautuvat päivystykseen.",
        ("Ikääntyneiden kotihoitoon ja palveluasumiseen on pitkä jono, ja omaiset kantavat hoivan odotusajan.", OLDER),
        ("Vammaispalvelujen päätökset viivästyvät, ja henkilökohtaisen avun alkaminen siirtyy kuukausilla.", DISABLED),
        ("Päihdekuntoutukseen pääsee vasta viikkojen jonotuksen jälkeen, ja motivaatio ehtii hiipua.", SUBSTANCE),
    ),
    *_texts(
        NEG,
        "child_wellbeing",
        "Lapsen tilanne jää näkemättä, kun vanhempi asioi aikuisten palveluissa eikä lapsesta kysytä.",
        (
            "Kouluakäymättömyys on lisääntynyt, eikä koululla, perhepalveluilla tai lastensuojelulla ole riittäviä "
            "keinoja tilanteiden purkamiseen.",
            FAMILIES,
        ),
        (
            "Mediankäyttö aiheuttaa lapsille univaikeuksia ja ristiriitoja perheissä; vanhemmat kaipaavat tukea rajojen "
            "asettamiseen.",
            FAMILIES,
        ),
        (
            "Omaishoitajina toimivien lasten arki kuormittuu, eikä heidän tilanteensa tule tunnistetuksi palveluissa.",
            FAMILIES,
        ),
        (
            "Vanhempien pitkä työttömyys ja toimeentulohuolet näkyvät lasten arjessa; harrastuksiin ei ole varaa.",
            WORKING_AGE,
        ),
    ),
    *_texts(
        NEG,
        "functional_capacity",
        "Toimintakyvyn heikkeneminen huomataan vasta kriisissä, koska arviointia ei tehdä ajoissa.",
        (
            "Kuntouttavan työtoiminnan asiakkailla on usein samanaikaisesti mielenterveys- ja päihdeongelmia sekä "
            "muistiongelmia, joita ei ole arvioitu.",
            WORKING_AGE,
        ),
        (
            "Sairauspäivärahojen ja työkyvyttömyyseläkkeiden hylkäykset ovat lisääntyneet, ja asiakkaat jäävät ilman "
            "tuloja selvittelyn ajaksi.",
            WORKING_AGE,
        ),
        (
            "Toimintakyvyn laskiessa ikääntyneen elinpiiri pienenee yllättäen, eikä kodin ulkopuolista asiointia ole "
            "järjestetty.",
            OLDER,
        ),
    ),
    *_texts(
        NEG,
        "working_practices",
        "Palvelupolku katkeaa, kun asiakas siirtyy nuorten palveluista aikuisten palveluihin.",
        "Samassa tilanteessa oleva asiakas saa eri yksiköissä eri ohjeet, koska yhteisiä toimintatapoja ei ole sovittu.",
    ),
    *_texts(
        NEG,
        "social_exclusion",
        "Yksinäiset miesasiakkaat eivät hakeudu palveluihin ja jäävät tukiverkon ulkopuolelle.",
        (
            "Nuorilla aikuisilla kasautuvat mielenterveys- ja päihdeongelmat sekä keskeytyneet opinnot; kontakti "
            "palveluihin katkeaa helposti.",
            WORKING_AGE,
        ),
        ("Yksin asuvat ikääntyneet eivät pääse kodin ulkopuolelle ilman saattajaa, ja yksinäisyys syvenee.", OLDER),
    ),
    *_texts(
        NEG,
        "authority_cooperation",
        "Monipalveluasiakkaan asiat etenevät hitaasti, koska vastuu jakautuu usealle toimijalle eikä kukaan kokoa "
        "kokonaisuutta.",
        (
            "Terveydenhuollon ja sosiaalihuollon tiedonkulku katkeaa, kun työttömän terveystarkastuksen jono on "
            "kuukausia pitkä.",
            WORKING_AGE,
        ),
    ),
    *_texts(
        NEG,
        "livelihood",
        "Asumistuen ja muiden etuuksien leikkaukset näkyvät vuokrarästeinä ja häätöuhkina; selvittelyavun tarve on "
        "kasvanut.",
        "Asiakkaat joutuvat valitsemaan lääkkeiden ja ruoan välillä kuun lopussa, ja ruokajakelun kävijämäärät ovat "
        "nousseet.",
        (
            "Toimeentulon epävarmuus kuormittaa asiakkaiden mielenterveyttä, ja uutiset lomautuksista lisäävät huolta.",
            WORKING_AGE,
        ),
        (
            "Lapsiperheiden rahat eivät riitä kuun loppuun, ja koulun retkistä ja harrastuksista joudutaan luopumaan.",
            FAMILIES,
        ),
    ),
    *_texts(
        NEG,
        "mental_health",
        "Mielenterveyspalvelujen jonot ovat pitkiä, ja avun saamisen hitaus lannistaa asiakkaita, jotka olisivat "
        "valmiita ottamaan apua vastaan.",
        (
            "Nuorten itsetuhoisuus ja väkivaltainen käytös ovat lisääntyneet, eikä nopeaa psykiatrista arviota ole "
            "saatavilla.",
            FAMILIES,
        ),
        (
            "Neuropsykiatrisesti oireilevat nuoret aikuiset eivät saa arviota eivätkä tukea arjen hallintaan.",
            WORKING_AGE,
        ),
    ),
    *_texts(
        NEG,
        "family_support",
        "Omaishoitoperheiden tuki ei riitä, ja perheenjäsenet uupuvat hoivan keskellä.",
        (
            "Vauvaperheiden tuen tarpeet ovat lisääntyneet, ja asiakkuus alkaa yhä useammin vasta lastensuojelussa.",
            FAMILIES,
        ),
        (
            "Maahanmuuttajavanhempien tuen tarve on suuri kotoutumisvaiheen tuen päätyttyä, erityisesti talous- ja "
            "kouluasioissa.",
            FAMILIES,
        ),
        (
            "Vanhemmuuden ja arjen haasteet ovat lisääntyneet, ja ennaltaehkäisevää perhetyötä on liian vähän "
            "pikkulapsivaiheessa.",
            FAMILIES,
        ),
    ),
    *_texts(
        NEG,
        "housing",
        "Uuden asunnon saaminen on vaikeaa luottohäiriömerkintöjen ja vanhojen vuokravelkojen vuoksi.",
        "Asunnoissa on luteita, eikä asukkailla ole varaa torjuntaan; ongelma leviää taloyhtiössä.",
        ("Nuoret aikuiset eivät saa ensimmäistä vuokra-asuntoa ilman takaajaa, ja asunnottomuus uhkaa.", WORKING_AGE),
    ),
    *_texts(
        NEG,
        "digital_exclusion",
        "Pankki- ja Kela-asiointi on siirtynyt verkkoon, ja osa asiakkaista jää kokonaan palvelujen ulkopuolelle.",
        (
            "Ikääntyneet ja vähävaraiset asiakkaat eivät osaa asioida digitaalisesti, eikä heillä ole tukea "
            "lähipiirissä.",
            OLDER,
        ),
    ),
    *_texts(
        NEG,
        "substance_use",
        "Päihteitä käyttäviin asiakkaisiin kohdistuu syrjiviä asenteita terveydenhuollossa, mikä heikentää hoitoon "
        "hakeutumista.",
        "Päihdekuntoutus ei toteudu, kun asiakkaalla on kognition haasteita ja heikko fyysinen kunto.",
    ),
    # ---- positive ------------------------------------------------------------------
    *_texts(
        POS,
        "service_availability",
        "Sosiaaliohjaajan ajanvarauksettomat päivystysajat ovat lyhentäneet odotusta, ja asiakkaat saavat neuvoa "
        "samana päivänä.",
        ("Liikkuva palveluauto tuo sosiaaliohjauksen syrjäkylien ikääntyneiden luo.", OLDER),
    ),
    *_texts(
        POS,
        "child_wellbeing",
        "Lapsen tilanne otetaan nyt puheeksi myös aikuisten palveluissa, ja tuki lapselle järjestyy aiemmin.",
        (
            "Koulun, perhepalvelujen ja nuorisotyön yhteinen tiimi on saanut pitkään poissa olleita oppilaita takaisin "
            "kouluun.",
            FAMILIES,
        ),
    ),
    *_texts(
        POS,
        "functional_capacity",
        "Kotikuntoutus on ylläpitänyt asiakkaiden toimintakykyä, ja arki kotona sujuu pidempään.",
        (
            "Hyvinvointialueen työkykykoordinaattori osallistuu aktivointisuunnitelmien tekoon, jolloin tieto hoidoista "
            "ja kuntoutuksista saadaan heti.",
            WORKING_AGE,
        ),
    ),
    *_texts(
        POS,
        "working_practices",
        "Sosiaalityöntekijöiden ja sosiaaliohjaajien yhteistyö on kehittynyt ja asiakkaan asiat etenevät sujuvammin.",
        "Omatyöntekijä voi osallistua palveluasumisen työryhmään, mikä nopeuttaa päätöksiä.",
        ("Kehitysvammaisten asiakkaiden tukitiimi ehkäisee kriisejä arjen ohjaustyön tukena.", DISABLED),
        (
            "Vammaispalvelujen asumisyksiköiden varahenkilöjärjestelmä toimii: tutut työntekijät käyvät yksiköissä.",
            DISABLED,
        ),
        ("Perhesosiaalityön ja lastensuojelun yhteistyö toimii, kun odottava äiti tarvitsee tukea.", FAMILIES),
    ),
    *_texts(
        POS, "social_exclusion", "Ruokajakelu toimii matalan kynnyksen kohtaamispaikkana, joka vähentää yksinäisyyttä."
    ),
    *_texts(
        POS,
        "authority_cooperation",
        "Sosiaalityön ja terveydenhuollon yhteiset asiakaspalaverit ovat nopeuttaneet monipalveluasiakkaiden asioita.",
    ),
    *_texts(
        POS,
        "livelihood",
        "Talousneuvonnan jalkautuminen sosiaalitoimistoon on auttanut asiakkaita järjestelemään velkojaan ajoissa.",
    ),
    *_texts(
        POS,
        "mental_health",
        "Matalan kynnyksen mielenterveysvastaanotto on tavoittanut asiakkaita, jotka eivät aiemmin hakeutuneet hoitoon.",
    ),
    *_texts(
        POS,
        "family_support",
        "Perheiden palveluohjaus yhdestä numerosta on selkeyttänyt avun hakemista.",
        (
            "Kotiin annettava perhetyö on tavoittanut vauvaperheet ajoissa, ja tuen tarve on kartoitettu ennen kriisiä.",
            FAMILIES,
        ),
    ),
    *_texts(POS, "housing", "Asumisneuvonta on ehkäissyt häätöjä, kun vuokravelkoihin on tartuttu varhain."),
    *_texts(
        POS,
        "digital_exclusion",
        "Kirjastojen digituki auttaa asiakkaita sähköisessä asioinnissa, ja asiointi sujuu omatoimisemmin.",
    ),
    *_texts(
        POS,
        "substance_use",
        "Päihdetyön matalan kynnyksen olohuone tavoittaa asiakkaat, jotka eivät muuten hakeudu palveluihin.",
    ),
    # ---- neutral -------------------------------------------------------------------
    *_texts(
        NEU,
        "service_availability",
        "Asiakkaiden tiedot saatavilla olevasta tuesta vaihtelevat paljon; osa ei tiedä, mihin ottaa yhteyttä.",
        "Yhteydenotot sosiaalipalvelujen neuvontaan ovat lisääntyneet palveluverkon muutosten jälkeen.",
    ),
    *_texts(
        NEU,
        "child_wellbeing",
        "Lasten harrastusmahdollisuuksista ja niiden kustannuksista kysytään aiempaa enemmän.",
        ("Vanhemmat kysyvät entistä useammin neuvoa lasten ruutuajan ja unirytmin rajoittamiseen.", FAMILIES),
    ),
    *_texts(
        NEU,
        "functional_capacity",
        "Työkyvyn arviointiin ohjautuu aiempaa enemmän asiakkaita, joiden tilanne on pitkään ollut selvittämättä.",
    ),
    *_texts(
        NEU,
        "working_practices",
        "Työntekijöiden toimintakäytännöt vaihtelevat yksiköittäin samankaltaisissa tilanteissa.",
    ),
    *_texts(
        NEU,
        "social_exclusion",
        "Järjestöjen kohtaamispaikkojen kävijämäärät ovat kasvaneet, ja sosiaaliohjaus on mukana joka viikko.",
        ("Omaiset haluavat olla enemmän läsnä seniorin arjessa ja kysyvät keinoja yhteydenpitoon.", OLDER),
    ),
    *_texts(
        NEU,
        "authority_cooperation",
        "Asiakkaat kysyvät, kuka vastaa heidän asiastaan, kun palvelu on jaettu hyvinvointialueen ja kunnan kesken.",
        ("Työllisyyspalvelujen siirto kunnille on herättänyt asiakkaissa kysymyksiä vastuista.", WORKING_AGE),
    ),
    *_texts(
        NEU,
        "livelihood",
        "Asiakkaat kysyvät entistä useammin neuvoa sosiaaliturvamuutosten vaikutuksista omaan talouteensa.",
    ),
    *_texts(
        NEU,
        "mental_health",
        "Mielenterveyteen liittyvät kysymykset tulevat esiin yhä useammin jo ensimmäisessä tapaamisessa.",
    ),
    *_texts(
        NEU,
        "family_support",
        "Perheet kysyvät, mistä saa tukea arkeen ennen kuin tilanne kriisiytyy.",
        ("Eroperheiden vanhemmat kysyvät neuvoa tapaamisten ja arjen järjestämiseen.", FAMILIES),
    ),
    *_texts(NEU, "housing", "Yhteydenotot asumisneuvontaan ovat lisääntyneet vuokrankorotusten jälkeen."),
    *_texts(
        NEU,
        "digital_exclusion",
        "Asiakkaat toivovat, että sähköisen asioinnin rinnalla säilyy mahdollisuus asioida kasvokkain.",
    ),
    *_texts(NEU, "substance_use", "Päihteiden sekakäyttö tulee esiin aiempaa useammin jo palvelutarpeen arvioinnissa."),
]

CLIENT_VOICES: list[Text] = [
    *_texts(
        NEG,
        "service_availability",
        "Kun vihdoin uskaltaa pyytää apua, sitä pitää odottaa kuukausia.",
        "En tiedä, kenelle soittaa, kun jokainen ohjaa eteenpäin.",
        ("Äiti on odottanut paikkaa palvelutalosta puoli vuotta, enkä jaksa enää.", OLDER),
    ),
    *_texts(
        NEG, "child_wellbeing", ("Lapsi ei ole käynyt koulussa kuukauteen, eikä kukaan tiedä mitä tehdä.", FAMILIES)
    ),
    *_texts(NEG, "functional_capacity", ("Töihin en pysty palaamaan, mutta eläkettäkään ei myönnetä.", WORKING_AGE)),
    *_texts(NEG, "working_practices", "Minut ohjattiin aikuisten puolelle, ja siellä kaikki alkoi alusta."),
    *_texts(NEG, "social_exclusion", "En ole puhunut kenenkään kanssa viikkoon muuten kuin kaupan kassalla."),
    *_texts(
        NEG,
        "authority_cooperation",
        "Sama työntekijä koko ajan auttaisi, nyt joutuu kertomaan kaiken aina uudestaan.",
        "En tiedä, kenelle soittaa, kun jokainen ohjaa eteenpäin.",
    ),
    *_texts(
        NEG,
        "livelihood",
        "Ostanko lääkkeet vai ruoan – siihen tämä kuukausi menee.",
        ("Lapsille en pysty ostamaan talvikenkiä, vaikka teen kaikkeni.", FAMILIES),
    ),
    *_texts(NEG, "mental_health", "Terapiaan pääsyä pitää odottaa niin kauan, että ehdin jo luovuttaa."),
    *_texts(
        NEG, "family_support", ("Vauvan kanssa olen yksin, eikä neuvolassa ehditty kysyä, miten jaksan.", FAMILIES)
    ),
    *_texts(NEG, "housing", "Vuokravelan takia mikään vuokranantaja ei ota minua asukkaaksi."),
    *_texts(
        NEG,
        "digital_exclusion",
        "Kelan asiointipiste on vaikea, en uskalla käyttää sitä.",
        ("Ei minulla ole älypuhelinta, miten minä sitten hoidan pankkiasiat?", OLDER),
    ),
    *_texts(NEG, "substance_use", ("Kun kerroin päihteistä, minua alettiin kohdella eri tavalla.", SUBSTANCE)),
    *_texts(POS, "service_availability", "Pääsin samana päivänä juttelemaan, vaikka en ollut varannut aikaa."),
    *_texts(
        POS,
        "child_wellbeing",
        ("Koulun ja sosiaalityöntekijän yhteinen palaveri auttoi, poika käy taas koulua.", FAMILIES),
    ),
    *_texts(POS, "functional_capacity", "Kuntoutuksessa sain taas rytmin päiviin."),
    *_texts(
        POS,
        "working_practices",
        "Tukitiimi tuli heti paikalle, ja tilanne rauhoittui.",
        "Nyt on yksi työntekijä, jolle voin soittaa, ja asiat etenevät.",
    ),
    *_texts(POS, "social_exclusion", "Ruokajakelussa saa jutella jonkun kanssa, muuten en näe ketään viikkoon."),
    *_texts(POS, "authority_cooperation", "Kerran kerroin asiani, ja kaikki tiesivät sen palaverissa."),
    *_texts(POS, "livelihood", "Talousneuvoja teki kanssani suunnitelman, ja velat ovat hallinnassa."),
    *_texts(POS, "mental_health", "Ryhmässä huomasin, etten ole ainoa, joka jaksaa huonosti."),
    *_texts(POS, "family_support", ("Perhetyöntekijä tuli kotiin, ja arki alkoi taas sujua.", FAMILIES)),
    *_texts(POS, "housing", "Asumisneuvoja auttoi sopimaan vuokravelasta, ja saan asua kotona."),
    *_texts(POS, "digital_exclusion", ("Kirjastossa neuvottiin kädestä pitäen, nyt osaan hoitaa asiat itse.", OLDER)),
    *_texts(POS, "substance_use", ("Matalan kynnyksen paikkaan voi tulla sellaisena kuin on.", SUBSTANCE)),
    *_texts(NEU, "service_availability", "En tiennyt, että tällaista apua on olemassa."),
    *_texts(NEU, "working_practices", "Eri toimipisteissä minulle on kerrottu eri asioita."),
    *_texts(NEU, "social_exclusion", ("Haluaisimme olla enemmän mukana isän arjessa, mutta emme tiedä miten.", OLDER)),
    *_texts(NEU, "authority_cooperation", "Kuka tästä nyt lopulta päättää, Kela vai kunta?"),
    *_texts(NEU, "livelihood", "Haluaisin tietää, miten muutos vaikuttaa asumistukeeni."),
    *_texts(NEU, "digital_exclusion", "Osaan kyllä hoitaa asiat netissä, mutta haluaisin joskus puhua ihmisen kanssa."),
]

PROPOSALS: list[Text] = [
    *_texts(
        NOT_POSITIVE,
        "service_availability",
        "Osa-aikaiset lähipalvelut ja ohjaus ympäristökuntiin; jalkautuminen ruokajonoihin.",
    ),
    *_texts(
        NOT_POSITIVE,
        "child_wellbeing",
        "Lapsen tilanne otetaan puheeksi myös aikuisten palveluissa, ja vastuu lapsen tuesta sovitaan.",
        ("Ennaltaehkäisevää toimintaa alakouluihin ja opiskeluhuolto mukaan siirtopalavereihin.", FAMILIES),
    ),
    *_texts(
        NOT_POSITIVE,
        "functional_capacity",
        "Toimintakyvyn arviointi tehdään ajoissa, ja siitä sovitaan palvelujen kesken.",
        (
            "Työkyvyn selvittelyn kehittäminen ja työkykykoordinaattori työpariksi työttömien terveydenhoitajalle.",
            WORKING_AGE,
        ),
    ),
    *_texts(
        NOT_POSITIVE,
        "working_practices",
        "Yhteiset toimintaohjeet laaditaan yksiköiden kesken, ja niiden käyttöä seurataan.",
    ),
    *_texts(
        NOT_POSITIVE,
        "social_exclusion",
        "Selvitetään yksinäisten, ilman tukiverkkoa olevien asiakkaiden tilanteita ilmiön hahmottamiseksi.",
    ),
    *_texts(
        NOT_POSITIVE,
        "authority_cooperation",
        "Sovitaan monipalveluasiakkaille yksi vastuutyöntekijä ja yhteinen suunnitelma.",
    ),
    *_texts(
        NOT_POSITIVE,
        "livelihood",
        "Järjestöjen ruokajakelun tukeminen julkisin varoin ja talousneuvonnan jalkauttaminen.",
    ),
    *_texts(
        NOT_POSITIVE,
        "mental_health",
        "Matalan kynnyksen mielenterveysvastaanotto ja hoitoonohjauksen nopeuttaminen yhdessä terveydenhuollon kanssa.",
        (
            "Nuorten aikuisten mielenterveysosaamisen vahvistaminen ja varhainen puuttuminen yhdessä terveydenhuollon "
            "kanssa.",
            WORKING_AGE,
        ),
    ),
    *_texts(
        NOT_POSITIVE,
        "family_support",
        "Perheiden tukipalvelut kootaan yhteen paikkaan, ja ohjaus tehdään yhdessä järjestöjen kanssa.",
        ("Ennaltaehkäisevän perhetyön lisääminen pikkulapsivaiheessa.", FAMILIES),
    ),
    *_texts(NOT_POSITIVE, "housing", "Asumisneuvonta ja vuokravelkojen sovittelu ennen häätöä."),
    *_texts(
        NOT_POSITIVE,
        "digital_exclusion",
        "Palvelujen saatavuus varmistetaan myös niille, joilla on haasteita digitaalisessa asioinnissa.",
    ),
    *_texts(
        NOT_POSITIVE,
        "substance_use",
        "Matalan kynnyksen toiminta päihteitä käyttäville ja toipuvien ottaminen mukaan toteutukseen.",
    ),
    Text("Hyvä käytäntö levitetään muihin yksiköihin ja kuvataan palvelukuvaukseen.", POS, ALL_THEMES),
    Text("Toimintamalli vakinaistetaan, ja sen rahoitus turvataan talousarviossa.", POS, ALL_THEMES),
]


def _scripted(field: str) -> list[Text]:
    """The texts of Päijät-Häme autumn 2024's scripted reports, with their reports' labels."""
    return [
        Text(getattr(r, field), (r.type,), r.themes, r.groups, scripted=True)
        for r in autumn2024.REPORTS
        if getattr(r, field)
    ]


OBSERVATIONS += _scripted("observation")
CLIENT_VOICES += _scripted("voice")
PROPOSALS += _scripted("proposal")


@cache
def _fitting(pool: str, observation_type: str, theme: str, groups: frozenset[str]) -> tuple[str, ...]:
    texts = {"observation": OBSERVATIONS, "client_voice": CLIENT_VOICES, "proposal": PROPOSALS}[pool]
    return tuple(dict.fromkeys(t.text for t in texts if not t.scripted and t.fits(observation_type, theme, groups)))


def fitting(pool: str, observation_type: str, theme: str, groups) -> tuple[str, ...]:
    """The texts of ``pool`` ('observation', 'client_voice', 'proposal') that fit
    a report of this type, first theme and target groups."""
    return _fitting(pool, observation_type, theme, frozenset(groups))


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
