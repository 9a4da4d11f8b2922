"""The demo's Päijät-Häme autumn 2024 (1.9.–31.12.2024): 40 synthetic reports
written to fit the published summary's analysis (seed 001), and that analysis
itself: its key themes and, per target group and for outreach social work, its
phenomena, good practices and proposals, each linked to the reports it rests on.

The reports' labels reproduce every published count (40 reports: 31 negative,
4 positive, 5 neutral; the areas, target groups and themes of
``generator.PH_AUTUMN_2024``; 34 publishable). Their texts are synthetic, written
for the demo after the published bullets; the client voices echo the published
quotes. One non-publishable report names a person, so the privacy screen has
something to find. Built by :mod:`dashboard.demo.generator` and published by
:func:`publish_demo` in the same build, as the coordinator would publish it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from queries import analysis as q

from ..analysis.publish import Publication, write_analysis
from ..analysis.workspace import Draft, Period, Phenomenon, Review

COUNTY = "09"
START, END = dt.date(2024, 9, 1), dt.date(2024, 12, 31)
PUBLISHED_AT = dt.datetime(2025, 2, 14, 12, 0)
PUBLISHED_BY = "Rakenteellisen sosiaalityön koordinaattori (demo)"
TITLE = "Sosiaalisen raportoinnin tuloksia, syksy 2024"
INTRO = (
    "Sosiaalinen raportointi on yksi rakenteellisen sosiaalityön menetelmistä: sosiaalialan ammattilaiset "
    "välittävät sen avulla tietoa sosiaalisesta hyvinvoinnista, sosiaalisista ongelmista ja ilmiöistä, "
    "asiakastyön arjessa tehtyjä havaintoja ja heikkoja signaaleja sekä tietoa vaikuttavista palveluista "
    "ja hyvistä käytännöistä (sosiaalihuoltolaki 7 §)."
)

WA, CF, DIS, OLD, SUB = "working_age", "children_families", "disabled", "older_people", "substance"
SA, CW, FC, WP = "service_availability", "child_wellbeing", "functional_capacity", "working_practices"
SE, AC, LV, MH = "social_exclusion", "authority_cooperation", "livelihood", "mental_health"
FS, HO, DE, SU = "family_support", "housing", "digital_exclusion", "substance_use"
UNIT = {
    WA: "working_age_services",
    CF: "family_services",
    DIS: "disability_services",
    OLD: "older_people_services",
    SUB: "mental_health_substance",
}


@dataclass(frozen=True)
class Scripted:
    handle: str
    type: str
    groups: tuple[str, ...]
    themes: tuple[str, ...]
    areas: tuple[str, ...]
    observation: str
    voice: str = ""
    proposal: str = ""
    unit: str = ""
    publishable: bool = True
    highlight: bool = False

    @property
    def service_unit(self) -> str:
        return self.unit or UNIT[self.groups[0]]


def R(handle, otype, groups, themes, areas, observation, voice="", proposal="", **kw) -> Scripted:
    return Scripted(handle, otype, tuple(groups), tuple(themes), tuple(areas), observation, voice, proposal, **kw)


NEG, POS, NEU = "negative", "positive", "neutral"

# In the order of their dates (the generator gives the i-th report the i-th date of the period).
REPORTS: list[Scripted] = [
    R("young_adults", NEG, [WA, SUB], [MH, SU], ["398"],
      "Nuorilla aikuisilla asiakkailla kasautuvat mielenterveys- ja päihdeongelmat sekä neuropsykiatriset haasteet; "
      "keskeytyneet opinnot ja velat tulevat samaan aikaan, eikä kenelläkään ole kokonaisuutta käsissään.",
      "Täysi-ikäistä henkilöä on mahdotonta auttaa, kun hän joutuu odottamaan palveluja niin kauan. Moni on valmis "
      "ottamaan apua vastaan, mutta jos avun saanti kestää kohtuuttoman kauan, usko apuun järkkyy.",
      "Nuorten aikuisten mielenterveyspalveluja ja -osaamista kehitetään: tuen tarpeet ja psyykkiset haasteet "
      "tunnistetaan ajoissa, puututaan varhain ja vahvistetaan yhteistyötä ja verkostoitumista.",
      highlight=True),
    R("mh_queues_adults", NEG, [WA, CF], [MH], ["09"],
      "Mielenterveyden ongelmat ovat yleisiä työikäisten asiakkaiden keskuudessa, mutta auttamisen mahdollisuuksia on "
      "vähän: mielenterveyspalvelujen jonot ovat pitkiä ja avun saaminen hidasta, ja vanhempien jaksaminen näkyy "
      "myös lasten arjessa.",
      "Terapiaan pääsyä pitää odottaa niin kauan, että ehdin jo luovuttaa.",
      publishable=False),
    R("school_absence", NEG, [CF], [CW, FS], ["398"],
      "Kouluakäymättömyys on lisääntynyt, eikä koululla, perhepalveluilla, lastensuojelulla tai nuorisopsykiatrialla "
      "ole riittäviä keinoja auttaa; lapsi ja perhe jäävät palvelujen väliin.",
      "",
      "Ennaltaehkäisevää toimintaa alakouluihin: kiusaaminen tunnistetaan ja sen aiheuttama traumatisoituminen "
      "käsitellään ennen kuin koulu jää kokonaan."),
    R("multi_service", NEG, [WA, DIS], [AC], ["09"],
      "Monipalveluasiakkaan asiat eivät etene, koska palvelut eivät jousta: kukin palvelu hoitaa oman osansa "
      "omilla ehdoillaan, eikä kukaan kokoa kokonaisuutta.",
      "",
      "Palvelut joustavat erityisesti monipalveluasiakkaiden kohdalla: yksi vastuutyöntekijä ja yhteinen "
      "suunnitelma."),
    R("baby_families", NEG, [CF], [FS], ["09"],
      "Vauvaperheiden tuen tarpeet ovat lisääntyneet, ja tukea tarvitsevan vauvaperheen asiakkuus alkaa yhä "
      "useammin lastensuojelussa kuin perhesosiaalityössä.",
      "Tukea tarvitsevat vauvaperheet: asiakkuus on alkanut yhä useammin lastensuojelussa, kuin perhesosiaalityössä.",
      "Ennaltaehkäisevää perhetyötä lisätään pikkulapsivaiheessa.",
      highlight=True),
    R("evictions", NEG, [WA, CF], [LV, HO], ["398"],
      "Sosiaaliturvamuutokset heikentävät asiakkaiden taloudellista tilannetta ja asumista: vuokrarästit ja häädöt "
      "ovat lisääntyneet, myös lapsiperheissä, ja selvittelyavun tarve on kasvanut.",
      "Vuokravelan takia mikään vuokranantaja ei ota minua asukkaaksi."),
    R("work_ability", NEG, [WA, DIS], [AC, FC, LV], ["398"],
      "Työllisyys- ja työkykyasioissa tarvitaan monialaista yhteistyötä. Sairauspäivärahojen ja "
      "työkyvyttömyyseläkkeiden hylkäykset ovat lisääntyneet, asiakkaiden tilanteet käyvät kohtuuttomiksi ja "
      "soteammattilaisten työn määrä kasvaa. Näkymättömästi sairaiden on vaikea saada palveluja ja etuuksia, kun "
      "sairaus ei näy päällepäin.",
      "Töihin en pysty palaamaan, mutta eläkettäkään ei myönnetä.",
      "Työkyvyn selvittelyä kehitetään, ja työkykykoordinaattori tulee työpariksi työttömien terveydenhoitajalle."),
    R("rehab_work", NEG, [WA, SUB], [FC, MH], ["098"],
      "Kuntouttavan työtoiminnan asiakkaiden tuen tarpeet jäävät huomaamatta: heillä on mielenterveys- ja "
      "päihdeongelmia, muistiongelmia ja vaikeuksia hoitaa asioitaan, ja toiminnan päättyessä tuki katkeaa.",
      "",
      "Kuntouttavaa työtoimintaa tarjotaan kohdennetusti nuorille ja kysyntään vastataan; toiminnan päättymisen "
      "yhteydessä tapahtuvia muutoksia sekä tuen- ja palvelutarpeita tutkitaan."),
    R("media_use", NEG, [CF], [CW], ["09"],
      "Mediankäyttö aiheuttaa ongelmia lapsille, nuorille ja vanhemmille: univaikeuksia, riitoja ja "
      "eristäytymistä, eikä vanhemmilla ole keinoja rajata ruutuaikaa.",
      "",
      "Tutkimustietoon perustuvaa materiaalia mediankäytöstä jaetaan sosiaalisessa mediassa ja lasten parissa "
      "työskenteleville; kouluun ja varhaiskasvatukseen oppitunteja mediankäytöstä ja koulutusta kaikille "
      "lasten ja nuorten parissa työskenteleville."),
    R("heinola_low_threshold", NEG, [WA, SUB], [SA], ["111"],
      "Heinolassa tarvitaan matalan kynnyksen palveluja ja lähipalveluja: päihteitä ongelmallisesti käyttävillä "
      "ihmisillä ei ole paikkaa, jonne tulla ilman ajanvarausta.",
      "Matalan kynnyksen paikkaan voisi tulla sellaisena kuin on.",
      "Heinolaan aloitetaan matalan kynnyksen toiminta päihteitä ongelmallisesti käyttäville, ja toipuvat otetaan "
      "mukaan toteuttamaan sitä."),
    R("parenting", NEG, [CF], [FS, CW], ["111"],
      "Vanhemmuuden ja arjen haasteet ovat lisääntyneet: vanhemmat uupuvat, eikä arkeen saa apua ennen kuin "
      "tilanne kriisiytyy. Osa lapsista hoivaa sairasta vanhempaansa omaishoitajan tavoin.",
      "",
      "Perheiden arkeen tarjotaan ennaltaehkäisevää perhetyötä jo pikkulapsivaiheessa."),
    R("discrimination", NEG, [WA, SUB, CF], [SU], ["398", "09"],
      "Päihteitä käyttäneisiin ja käyttäviin asiakkaisiin kohdistuu syrjiviä asenteita terveydenhuollossa, myös "
      "vanhempiin, mikä heikentää hoitoon hakeutumista. Asiakkaiden osallisuutta omaan hoitoonsa tulisi lisätä. "
      "Alaikäisten päihdeseuloja ei saada tehtyä ajallaan, eikä tuloksista sovita yhdessä perheen kanssa.",
      "Kun kerroin päihteistä, minua alettiin kohdella eri tavalla."),
    R("child_mental_health", NEG, [CF], [MH, CW], ["398"],
      "Lasten ja nuorten mielenterveyden ongelmat ovat lisääntyneet: itsetuhoisuus ja väkivalta ovat yleistyneet. "
      "Hiljaiset lapset jäävät huomaamatta, ja näkyvämmin turhautumista osoittaville lapsille ei löydy pysyviä "
      "ratkaisuja.",
      "Itsetuhoisuuden ja väkivallan lisääntyminen nuorilla.",
      "Hiljaisten lasten tuen tarpeet tunnistetaan, ja näkyvämmin turhautumista osoittavien lasten tilanteisiin "
      "kehitetään pysyvämpiä ratkaisuja."),
    R("invisible_illness", NEG, [WA, DIS], [SA], ["560"],
      "Näkymättömästi sairaiden ihmisten on vaikea saada palveluja, kuten asiakkaamme Matti, jonka sairaus ei näy "
      "päällepäin. Asiakkaiden osallisuutta terveydenhuollossa tulisi lisätä.",
      publishable=False),
    R("coworking_instructors", POS, [WA, DIS, CF], [WP], ["09"],
      "Sosiaalityöntekijöiden ja sosiaaliohjaajien yhteistyö on kehittynyt, ja omatyöntekijä voi nyt osallistua "
      "palveluasumisen työryhmään, mikä nopeuttaa päätöksiä.",
      "Nyt on yksi työntekijä, jolle voin soittaa, ja asiat etenevät.",
      "Asiakkaan asian eteneminen palveluasumisen työryhmässä varmistetaan myös silloin, kun omatyöntekijä on "
      "estynyt."),
    R("mh_queues_children", NEG, [CF], [MH], ["09"],
      "Lasten ja nuorten mielenterveyspalvelujen saatavuus on heikko ja jonot pitkiä. Sosiaali- ja "
      "terveydenhuollon yhteistyötä tarvitaan lisää, kun nuori siirtyy erikoissairaanhoidosta takaisin kouluun.",
      "",
      "Opiskeluhuollon ammattilaiset otetaan mukaan erikoissairaanhoidon ja muiden yhteistyötahojen yhteisiin "
      "siirtopalavereihin."),
    R("work_ability_coordinator", POS, [WA], [WP], ["398"],
      "Hyvinvointialueen työkykykoordinaattori osallistuu aktivointisuunnitelmien tekoon, jolloin tieto asiakkaan "
      "diagnooseista, hoidoista ja kuntoutuksista saadaan heti ja voidaan tehdä monialainen suunnitelma.",
      "Voidaan tehdä monialainen suunnitelma, jakaa vastuut ja sopia seurannasta. Tämä nopeuttaa huomattavasti "
      "asiakkaan asian etenemistä.",
      "Työkykykoordinaattori työpariksi työttömien terveydenhoitajalle.",
      highlight=True),
    R("young_carers", NEU, [CF], [CW, FS], ["016"],
      "Omaishoitajina toimivia lapsia tulee vastaan aiempaa useammin, eikä heidän tilanteensa tule tunnistetuksi "
      "palveluissa.",
      publishable=False),
    R("baby_cooperation", POS, [WA, CF], [WP], ["398"],
      "Työikäisten palvelujen, perhesosiaalityön ja lastensuojelun yhteistyö toimii, kun asiakas alkaa odottaa "
      "vauvaa ja tarvitsee tukea: ammattiryhmät ja palvelutehtävät sopivat tuesta yhdessä.",
      "Perhetyöntekijä tuli kotiin, ja arki alkoi taas sujua."),
    R("screening", NEG, [CF, SUB], [FS], ["398"],
      "Alaikäisten seulakäytännöt ovat epäselviä: seuloja ei saada tehtyä ajallaan, eikä tuloksista sovita "
      "yhdessä perheen kanssa.",
      publishable=False),
    R("disabled_practices", NEU, [DIS, CF], [WP], ["09"],
      "Työntekijöiden toimintakäytännöt vaihtelevat vammaispalveluissa samankaltaisissa tilanteissa, myös "
      "vammaisten lasten perheiden kohdalla."),
    R("migrant_parents", NEG, [CF, WA], [FS, LV], ["398"],
      "Maahanmuuttajavanhemmat tarvitsevat runsaasti tukea kotoutumisvaiheen tuen päätyttyä: talous-, terveys- ja "
      "kouluasiat ovat vaikeita, ja traumatisoituminen vaikeuttaa tiedon vastaanottamista.",
      "Maahanmuuttajavanhempien tukeminen vaatii paljon aikaa, kun kotouttamisvaiheen tuki on päättynyt, jos "
      "vanhemmilla ei ole taitoja toimia yhteiskunnassa (talous, terveysasiat, koulu)."),
    R("disabled_information", NEG, [DIS, CF], [SA], ["09"],
      "Asiakkailla ei ole tietoa saatavilla olevasta avusta ja tuesta, ja palvelujen kriteerit ovat kovat."),
    R("family_benefits", NEG, [CF, WA], [LV], ["560"],
      "Sosiaaliturvamuutokset näkyvät perheissä: taloudellinen tilanne heikkenee ja perheet joutuvat muuttamaan "
      "halvempaan asuntoon. Kelan ohje lapsen tulojen huomioimisesta kiristää tilannetta entisestään.",
      "",
      "Kelan lapsen tulojen huomioimista koskevasta ohjeistuksesta tehdään lapsivaikutusten arviointi."),
    R("trust", NEG, [CF, WA], [SE], ["09"],
      "Asiakkaat, lapset ja aikuiset, eivät luota palveluihin eivätkä hae niitä, ja hakeminen kuormittaa.",
      "Asiakkaat, lapset ja aikuiset, eivät luota palveluihin, palveluja ei haeta, hakeminen kuormittaa ja tämä "
      "kaikki on lisääntynyt viime aikoina."),
    R("disabled_employment", NEG, [DIS, WA], [FC], ["national"],
      "Vaikea valtakunnallinen työllisyystilanne näkyy vammaisten työllistymisessä, joka on entistä haasteellisempaa.",
      "Vaikea maa- ja valtakunnallinen työllisyystilanne, vammaisten työllistymisen haasteellisuus.",
      "Kolmen kupin -menetelmä yritysyhteistyöhön vammaisten työhönvalmennuksen palvelussa."),
    R("support_team", POS, [DIS], [WP], ["398"],
      "Kehitysvammaisten asiakkaiden tukitiimi tukee arjen ohjaustyötä kriisitilanteissa, varahenkilöjärjestelmä "
      "toimii ja yksiköt tekevät yhteistyötä päiväaikaisessa toiminnassa.",
      "Hyvä rakenne kehitysvammaisten asiakkaiden tukitiimi kriisitilanteissa arjen ohjaustyön tukena, "
      "ennaltaehkäisee asioita kriisiytymästä. Yksiköiden välinen yhteistyö päiväaikaisessa toiminnassa on "
      "positiivista.",
      highlight=True),
    R("disabled_substance", NEG, [DIS, SUB], [SA, MH], ["09"],
      "Kehitysvammaisten asiakkaiden tuki on vaikeammin saatavilla ja jonot ovat pitkiä, ja päihteitä käyttävän "
      "vammaisen asiakkaan kanssa työnjako ammattiryhmien välillä on epäselvä.",
      "",
      "Ammattiryhmien välistä yhteistyötä, konsultointia ja työnjaosta sopimista kehitetään; terveydenhuollon "
      "ammattilaisia konsultoidaan enemmän asiakkaiden toimintakykyyn liittyvissä asioissa."),
    R("outreach_disability", NEU, [DIS, CF], [WP], ["09"],
      "Etsivässä vammaistyössä asiakkaan tarpeet huomioidaan, kun hän ei pysty osallistumaan ryhmämuotoiseen "
      "toimintaan: yhteyttä pidetään joustavasti ja tavataan erilaisissa ympäristöissä.",
      "Etsivän vammaistyön työntekijä ottaa eri tavoin (viesti, puhelu, pelialusta, tapaamiset) kontaktia "
      "erilaisissa ympäristöissä. Tavoitteena välttää turvaverkosta putoaminen."),
    R("digital_services", NEG, [WA, OLD], [DE], ["09", "111"],
      "Digitaalisten palvelujen käyttö on monelle vaikeaa: asiakkaat tarvitsevat ohjausta, neuvontaa ja tukea "
      "asioinnissa, terveydenhuollossa ja Omakannassa, ja pankkiasioiden hoitaminen on vaikeutunut.",
      "Ei minulla ole älypuhelinta, miten minä sitten hoidan pankkiasiat?",
      "Palvelujen saatavuus varmistetaan aina myös niille, joilla on haasteita digitaalisessa osallistumisessa."),
    R("housing_older", NEG, [OLD], [HO], ["398"],
      "Ikääntyneiden tuen tarpeisiin vastaavia asumispalveluja ei ole tarjolla; asunnoissa on luteita ja häädöt "
      "ovat lisääntyneet.",
      publishable=False),
    R("relatives", NEU, [OLD], [SE], ["09"],
      "Omaiset haluavat olla enemmän läsnä seniorin arjessa ja kysyvät keinoja yhteydenpitoon.",
      "Omaiset haluavat olla enemmän läsnä seniorin arjessa.",
      "Viestivihko tukemaan omaisten mukanaoloa seniorin arjessa."),
    R("participation_older", NEG, [OLD], [FC], ["09"],
      "Osallisuus heikkenee toimintakyvyn laskun myötä: elinpiiri pienenee yllättäen, ja esteelliset asuintilat "
      "estävät kodin ulkopuolisen asioinnin.",
      "Elinpiiri pienenee yllättäen ja tämän vuoksi kodin ulkopuolista asiointia on pohdittava uudelta kantilta, "
      "mitä palveluja voisi tuoda kotiin?",
      "Matalamman kynnyksen palvelutarpeenarvio ja palveluohjaus kotiin."),
    R("older_substance", NEG, [OLD, SUB], [LV, MH], ["398"],
      "Sosiaaliturvaleikkaukset heikentävät ikääntyneiden taloudellista tilannetta ja asumista. Päihteitä "
      "käyttävien ikääntyneiden on vaikea saada etuuksia, ja päihdekuntoutus ei toteudu, kun asiakkaalla on "
      "kognition haasteita ja heikko fyysinen kunto. Tuen tarpeisiin vastaavia asumispalveluja ei löydy, asunnoissa "
      "on luteita ja häätöuhka kasvaa.",
      "",
      "Psyykkisistä ongelmista kärsivien asiakkaiden erityistarpeet huomioidaan kotihoidossa."),
    R("nurses_rush", NEG, [OLD], [SA], ["576"],
      "Hoitajien kiire heikentää ikäihmisten huomioimista, ja kiire kasvaa, kun miehitys pienenee.",
      "Hoitajien kiire ja tämän myötä ikäihmisen huonompi huomioonotto. Virikeohjaajan työ on todella tärkeää "
      "arjessa, jotta asukkaat saavat huomiota ja tarkoitusta arkeen.",
      "Virikeohjaajan työ turvataan, jotta asukkaat saavat huomiota ja tarkoitusta arkeen."),
    R("food_aid", NEG, [WA, CF], [LV], ["111", "09"],
      "Ruokajakelulla on suuri merkitys taloudellisen selviytymisen kannalta, mutta julkinen tuki sille on vähäistä. "
      "Asiakkaat joutuvat valitsemaan lääkkeiden ja ruoan välillä, ja loppukuusta ruokajakeluiden kävijämäärät "
      "nousevat. Asumistuen leikkaukset vaikuttavat pärjäämiseen, ja huoli toimeentulosta kuormittaa mielenterveyttä.",
      "Ruokajakeluista on tullut monille merkittävä ja välttämätön apu taloudelliseen selviytymiseen.",
      "Järjestöjen ruokajakelutoimintaa tuetaan julkisin varoin, ja hyvinvointia lisäävien järjestöjen "
      "toimintaedellytyksiä vahvistetaan.",
      unit="outreach"),
    R("housing_benefit_cuts", NEG, [WA], [LV, HO, MH], ["111", "316"],
      "Asumistuen leikkaukset vaikuttavat merkittävästi asiakkaiden pärjäämiseen, ja huoli taloudesta kuormittaa "
      "mielenterveyttä. Uuden asunnon saaminen on vaikeaa luottohäiriömerkintöjen tai vanhojen vuokravelkojen "
      "vuoksi.",
      "",
      "",
      unit="outreach",
      publishable=False),
    R("loneliness", NEU, [WA], [SE, AC], ["111"],
      "Etsivässä työssä kohdatut ihmiset kertovat yksinäisyydestä; erityisesti yksinäiset miehet, joilla ei ole "
      "tukiverkkoa, eivät ymmärrä palvelujärjestelmää eivätkä hakeudu palveluihin. Ruokajakelu ja järjestöjen "
      "kohtaamispaikat ovat matalan kynnyksen paikkoja, joissa voi kohdata muita.",
      "Ruokajakelu koetaan paikaksi, jossa voi kohdata muita samassa tilanteessa olevia ihmisiä matalalla "
      "kynnyksellä. Myös Tuulensuoja on koettu merkittäväksi yksinäisyyden lievittäjäksi.",
      "Järjestöjen osaamista hyödynnetään vahvemmin, ja yksinäisten miesten tilanteita tutkitaan ilmiön "
      "hahmottamiseksi.",
      unit="outreach"),
    R("local_services", NEG, [WA], [SA, DE], ["111", "016"],
      "Lähipalvelut ovat kadonneet: asiakkaiden on vaikea saavuttaa sosiaali- ja terveyspalveluja Heinolassa, "
      "eikä toiselle paikkakunnalle kulkeminen ole taloudellisen tilanteen tai terveydentilan vuoksi mahdollista. "
      "Kelan asiointipiste koetaan vaikeaksi, eikä sitä uskalleta käyttää.",
      "",
      "Ohjaus- ja neuvontapalveluja järjestetään osa-aikaisesti ympäristökuntiin ja jalkaudutaan ruokajonoihin; "
      "sosiaali- ja terveyspalvelujen numerot maksuttomiksi.",
      unit="outreach"),
    R("digital_outreach", NEG, [OLD], [DE], ["111", "098", "national"],
      "Digipalveluiden yleistyessä ikääntyneet, vähävaraiset ja digitaalisen osaamisen puutteessa olevat ihmiset "
      "jäävät palvelujen ulkopuolelle, eikä heillä ole tukea lähipiirissä.",
      "Etsivässä työssä kohdatut ihmiset ovat tuottaneet huolta siitä, että he eivät osaa asioida Kelan kanssa "
      "digitaalisesti, eikä heillä ole siihen tarvittavaa tukea.",
      "Etsivä sosiaalityö ennaltaehkäisee ongelmia, tiedottaa palveluista ja helpottaa palvelujen piiriin "
      "hakeutumista.",
      unit="outreach"),
]  # fmt: skip


@dataclass(frozen=True)
class Item:
    handle: str
    kind: str  # key_theme, observation, good_practice, proposal
    title: str
    reports: tuple[str, ...]
    groups: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    body: str = ""
    unit: str | None = None
    quoted: tuple[str, ...] = ()


def phen(handle, kind, title, reports, groups=(), themes=(), body="", unit=None, quoted=()) -> Item:
    return Item(handle, kind, title, tuple(reports), tuple(groups), tuple(themes), body, unit, tuple(quoted))


OBS, GOOD, PROP, KEY = "observation", "good_practice", "proposal", "key_theme"
OUT = "outreach"

# Seed 001's analysis, bullet by bullet, each on the reports it rests on; every bullet rests on at
# least one publishable report, so leadership can open what it stands on ("n raporttia" >= 1).
ANALYSIS: list[Item] = [
    phen("kt_families", KEY, "Perheiden tuen tarpeet ja niihin vastaaminen", ["baby_families", "school_absence", "parenting"],
      [CF], [FS, CW],
      "Vauvaperheiden lisääntyneet tuen tarpeet.\nKouluakäymättömyys ja eri toimijoiden puutteelliset auttamiskeinot."),
    phen("kt_livelihood", KEY, "Taloudellinen tilanne ja toimeentulo", ["evictions", "family_benefits", "food_aid"],
      [WA, CF], [LV],
      "Sosiaaliturvamuutosten ja heikon taloudellisen tilanteen vaikutukset ihmisten arkeen, hyvinvointiin, tuen "
      "tarpeisiin ja mahdollisuuksiin."),
    phen("kt_availability", KEY, "Palvelujen saatavuus ja saavutettavuus",
      ["heinola_low_threshold", "local_services", "digital_services", "digital_outreach"], [WA, OLD], [SA, DE],
      "Matalan kynnyksen palvelujen ja lähipalvelujen tarve.\nDigiasioinnin vaikeudet ja palvelujen ulkopuolelle "
      "jääminen."),
    phen("kt_mental_health", KEY, "Mielenterveys", ["young_adults", "mh_queues_adults", "mh_queues_children"],
      [WA, CF], [MH],
      "Mielenterveys-, päihde- ja neuropsykiatriset haasteet.\nMielenterveyspalvelujen jonot, avunsaannin hitaus ja "
      "sote-yhteistyön tarpeet."),
    # ---- working-age people ----
    phen("wa_o1", OBS, "Nuorten aikuisten tilanteet: Mielenterveys- ja päihdeongelmat, neuropsykiatriset haasteet sekä "
      "kasautuneet ongelmat.", ["young_adults"], [WA], [MH, SU], quoted=["young_adults"]),
    phen("wa_o2", OBS, "Mielenterveyden ongelmien yleisyys ja vähäiset auttamisen mahdollisuudet.",
      ["mh_queues_adults", "young_adults"], [WA], [MH]),
    phen("wa_o3", OBS, "Palvelujen saatavuuden haasteet ja asiakkaiden putoaminen avun piiristä.",
      ["mh_queues_adults", "young_adults", "invisible_illness"], [WA], [SA]),
    phen("multi_service", OBS, "Palveluiden joustavuuden tarve monipalveluasiakkaiden kohdalla.", ["multi_service"],
      [WA, DIS], [AC]),
    phen("wa_o5", OBS, "Sosiaaliturvamuutosten vaikutukset taloudelliseen tilanteeseen, asumiseen sekä häätöjen "
      "lisääntymiseen ja selvittelyavun tarpeen kasvu.", ["evictions"], [WA], [LV, HO]),
    phen("wa_o6", OBS, "Monialaisen yhteistyön tarve työllisyys- ja työkykyasioissa.", ["work_ability"], [WA], [AC, FC]),
    phen("wa_o7", OBS, "Kuntouttavan työtoiminnan asiakkaiden tuen tarpeiden huomiointi: mielenterveys- ja "
      "päihdeongelmat, muistiongelmat, asioiden hoitamisen haasteet.", ["rehab_work"], [WA], [FC]),
    phen("wa_o8", OBS, "Sairaspäivärahojen ja työkyvyttömyyseläkkeiden hylkäämisen lisääntyminen ja vaikutukset "
      "asiakkaiden tilanteiden kohtuuttomuuteen ja soteammattilaisten työn määrään.", ["work_ability"], [WA],
      [FC, LV]),
    phen("wa_o9", OBS, "Miessukupuolisten asiakkaiden haasteet palvelujärjestelmän ymmärtämisessä, palveluun "
      "hakeutumisessa ja osallistumisessa.", ["loneliness"], [WA], [SE]),
    phen("wa_o10", OBS, "Matalan kynnyksen ja lähipalvelujen tarve Heinolassa.",
      ["heinola_low_threshold", "local_services"], [WA], [SA]),
    phen("wa_o11", OBS, "Yhteistyön ja palveluohjauksen kehittäminen järjestöjen kanssa.", ["loneliness", "food_aid"],
      [WA], [AC]),
    phen("wa_o12", OBS, "Syrjivät asenteet päihteitä käyttäneitä ja käyttäviä asiakkaita kohtaan terveydenhuollossa.",
      ["discrimination"], [WA], [SU]),
    phen("wa_o13", OBS, "Näkymättömästi sairaiden ihmisten vaikeudet saada palveluja.", ["invisible_illness", "work_ability"], [WA], [SA]),
    phen("wa_o14", OBS, "Asiakasosallisuuden lisäämisen tarve terveydenhuollossa.", ["invisible_illness", "discrimination"], [WA], [SE]),
    phen("wa_o15", OBS, "Digitaalisten palvelujen käytön haasteet ja tuen tarve.", ["digital_services"], [WA], [DE]),
    phen("wa_g1", GOOD, "Sosiaalityöntekijöiden ja sosiaaliohjaajien yhteistyön kehittyminen.", ["coworking_instructors"],
      [WA], [WP]),
    phen("wa_g2", GOOD, "Omatyöntekijän mahdollisuus osallistua palveluasumisen työryhmään.", ["coworking_instructors"],
      [WA], [WP]),
    phen("wa_g3", GOOD, "Hyvinvointialueen työkykykoordinaattori ja osallistuminen aktivointisuunnitelmien tekoon.",
      ["work_ability_coordinator"], [WA], [WP, FC], quoted=["work_ability_coordinator"]),
    phen("wa_g4", GOOD, "Yhteistyö työikäiset, perhesosiaalityö ja lastensuojelu tilanteissa, joissa asiakas alkaa "
      "odottaa vauvaa ja tarvitsee tukea.", ["baby_cooperation"], [WA], [FS, WP]),
    phen("wa_p1", PROP, "Nuorten aikuisten asiakkaiden mielenterveyspalvelujen ja -osaamisen kehittäminen, tuen tarpeiden "
      "ja psyykkisten haasteiden tunnistaminen, varhainen puuttuminen sekä yhteistyön ja verkostoitumisen "
      "vahvistaminen.", ["young_adults"], [WA], [MH]),
    phen("wa_p2", PROP, "Erityisesti yksinäisten, ilman tukiverkkoa olevien miessukupuolisten asiakkaiden tilanteiden "
      "tutkiminen ilmiön hahmottamiseksi.", ["loneliness"], [WA], [SE]),
    phen("wa_p3", PROP, "Palvelujen saatavuuden varmistaminen aina myös niille, joilla on haasteita digitaalisessa "
      "osallistumisessa.", ["digital_services"], [WA], [DE]),
    phen("wa_p4", PROP, "Kuntouttavan työtoiminnan tarjoaminen kohdennetusti nuorille ja kysyntään vastaaminen "
      "hyvinvointialueella.", ["rehab_work"], [WA], [FC]),
    phen("wa_p5", PROP, "Kuntouttavan työtoiminnan päättymisen yhteydessä tapahtuvien muutosten sekä tuen- ja "
      "palvelutarpeiden tutkiminen.", ["rehab_work"], [WA], [FC]),
    phen("wa_p6", PROP, "Asiakkaan asian etenemisen varmistaminen palveluasumisen työryhmässä omatyöntekijän ollessa "
      "estynyt.", ["coworking_instructors"], [WA], [WP]),
    phen("wa_p7", PROP, "Työkykykoordinaattori työpariksi työttömien terveydenhoitajalle.",
      ["work_ability_coordinator", "work_ability"], [WA], [FC]),
    phen("wa_p8", PROP, "Työkyvyn selvittelyn kehittäminen.", ["work_ability"], [WA], [FC]),
    phen("wa_p9", PROP, "Matalan kynnyksen toiminnan aloittaminen Heinolassa päihteitä ongelmallisesti käyttäville ihmisille "
      "ja toipuvien mukaan ottaminen toiminnan toteuttamiseen.", ["heinola_low_threshold"], [WA], [SA, SU]),
    phen("wa_p10", PROP, "Osa-aikaiset lähipalvelut: ohjaus ja neuvonta ympäristökuntiin.", ["local_services"], [WA], [SA]),
    phen("wa_p11", PROP, "Tarve palveluiden joustavuudelle erityisesti monipalveluasiakkaiden kohdalla.", ["multi_service"],
      [WA], [AC]),
    # ---- children, young people and families ----
    phen("cf_o1", OBS, "Kouluakäymättömyys ja keinojen puute eri palveluissa.", ["school_absence"], [CF], [CW]),
    phen("cf_o2", OBS, "Vauvaperheiden lisääntyneet tuen tarpeet.", ["baby_families"], [CF], [FS],
      quoted=["baby_families"]),
    phen("cf_o3", OBS, "Lisääntyneet vanhemmuuden ja arjen haasteet.", ["parenting"], [CF], [FS]),
    phen("cf_o4", OBS, "Lasten ja nuorten mielenterveyden ongelmat.", ["child_mental_health"], [CF], [MH],
      quoted=["child_mental_health"]),
    phen("cf_o5", OBS, "Mielenterveyspalvelujen saatavuus ja jonot.", ["mh_queues_children", "mh_queues_adults"], [CF],
      [MH, SA]),
    phen("cf_o6", OBS, "Mediankäytön aiheuttamat ongelmat lapsille, nuorille ja vanhemmille.", ["media_use"], [CF], [CW]),
    phen("cf_o7", OBS, "Omaishoitajina toimivat lapset.", ["young_carers", "parenting"], [CF], [CW]),
    phen("cf_o8", OBS, "Alaikäisten seulakäytäntöjen haasteet.", ["screening", "discrimination"], [CF], [FS]),
    phen("cf_o9", OBS, "Maahanmuuttajavanhempien runsas tuen tarve.", ["migrant_parents"], [CF], [FS],
      quoted=["migrant_parents"]),
    phen("cf_o10", OBS, "Sosiaaliturvamuutosten vaikutukset perheille: taloudellinen tilanne, muutot.", ["family_benefits"],
      [CF], [LV]),
    phen("cf_o11", OBS, "Asiakkaiden luottamuksen puute palveluihin ja niiden saamiseen.", ["trust"], [CF], [SE],
      quoted=["trust"]),
    phen("cf_o12", OBS, "Syrjivät asenteet päihteitä käyttäneitä tai käyttäviä kohtaan.", ["discrimination"], [CF], [SU]),
    phen("cf_o13", OBS, "Sosiaali- ja terveydenhuollon yhteistyön lisäämisen tarve.", ["mh_queues_children"], [CF], [AC]),
    phen("cf_g1", GOOD, "Yhteistyön lisääntyminen eri sosiaalihuollon ammattiryhmien ja palvelutehtävien kesken.",
      ["baby_cooperation", "coworking_instructors"], [CF], [WP]),
    phen("cf_p1", PROP, "Ennaltaehkäisevää toimintaa alakouluihin. Kiusaamisen tunnistaminen ja sen aiheuttaman "
      "traumatisoitumisen käsittely.", ["school_absence"], [CF], [CW]),
    phen("cf_p2", PROP, "Hiljaisten lasten tuen tarpeiden tunnistaminen. Pysyvämpien ratkaisujen kehittäminen näkyvämmin "
      "turhautumisen osoittavien lasten tilanteisiin.", ["child_mental_health"], [CF], [CW]),
    phen("cf_p3", PROP, "Ennaltaehkäisevän perhetyön lisääminen pikkulapsivaiheessa.", ["baby_families", "parenting"], [CF],
      [FS]),
    phen("cf_p4", PROP, "Opiskeluhuollon ammattilaisten mukaan ottaminen erikoissairaanhoidon sekä muiden yhteistyötahojen "
      "yhteisiin siirtopalavereihin.", ["mh_queues_children"], [CF], [AC]),
    phen("cf_p5", PROP, "Tutkimustuloksiin perustuvaa ennaltaehkäisevää materiaalia mediankäytöstä jaettavaksi sosiaalisen "
      "median kanavissa ja lasten ja nuorten kanssa työskenteleville.", ["media_use"], [CF], [CW]),
    phen("cf_p6", PROP, "Lapsille ja nuorille mediankäyttöön liittyviä oppitunteja ja tuokioita kouluun ja "
      "varhaiskasvatukseen.", ["media_use"], [CF], [CW]),
    phen("cf_p7", PROP, "Mediankäytöstä koulutusta kaikille työntekijöille, jotka lasten ja nuorten parissa "
      "työskentelevät.", ["media_use"], [CF], [CW]),
    phen("cf_p8", PROP, "Lapsivaikutusten arviointi Kelan lapsen tulojen huomioimiseen liittyvästä ohjeistuksesta.",
      ["family_benefits"], [CF], [LV]),
    # ---- disabled people ----
    phen("dis_o1", OBS, "Työntekijöiden erilaiset toimintakäytännöt vammaispalveluissa.", ["disabled_practices"], [DIS],
      [WP]),
    phen("dis_o2", OBS, "Asiakkaiden tiedonpuute saatavilla olevasta avusta ja tuesta.", ["disabled_information"], [DIS],
      [SA]),
    phen("dis_o3", OBS, "Palveluiden kovat kriteerit.", ["disabled_information"], [DIS], [SA]),
    phen("dis_o4", OBS, "Vaikea valtakunnallinen työllisyystilanne ja vammaisten työllistymisen haasteellisuus.",
      ["disabled_employment"], [DIS], [FC], quoted=["disabled_employment"]),
    phen("dis_o6", OBS, "Kehitysvammaisten asiakkaiden tuen vaikeampi saatavuus.", ["disabled_substance"], [DIS], [SA]),
    phen("dis_g1", GOOD, "Kehitysvammaisten asiakkaiden tukitiimi kriisitilanteissa arjen ohjaustyön tukena.",
      ["support_team"], [DIS], [WP], quoted=["support_team"]),
    phen("dis_g2", GOOD, "Varahenkilöjärjestelmä ja tuttujen henkilöiden käynti yksiköissä.", ["support_team"], [DIS], [WP]),
    phen("dis_g3", GOOD, "Yksiköiden välinen yhteistyö päiväaikaisessa toiminnassa.", ["support_team"], [DIS], [WP]),
    phen("dis_g4", GOOD, "Etsivä vammaistyö: Asiakkaan tarpeiden huomiointi työskentelyssä, kun asiakas ei pysty "
      "osallistumaan ryhmämuotoiseen toimintaan.", ["outreach_disability"], [DIS], [WP, SE],
      "Joustavat yhteydenottotavat ja tapaamiset erilaisissa ympäristöissä. Tavoitteena on välttää turvaverkosta "
      "putoaminen ja saattaen siirtää asiakas meidän tai toisen toimijan palveluun.",
      quoted=["outreach_disability"]),
    phen("dis_p1", PROP, "Ammattiryhmien välisen yhteistyön, konsultoinnin ja työnjaosta sopimisen kehittäminen päihteitä "
      "käyttävän vammaisen asiakkaan kanssa työskenneltäessä.", ["disabled_substance"], [DIS], [AC]),
    phen("dis_p2", PROP, "Terveydenhuollon ammattilaisten konsultoinnin lisääminen asiakkaiden toimintakykyyn liittyvissä "
      "asioissa.", ["disabled_substance"], [DIS], [FC]),
    phen("dis_p3", PROP, "Tarve palveluiden joustavuudelle monipalveluasiakkaiden kohdalla.", ["multi_service"], [DIS], [AC]),
    phen("dis_p4", PROP, "Kolmen kupin -menetelmä yritysyhteistyöhön vammaisten työhönvalmennuksen palvelussa.",
      ["disabled_employment"], [DIS], [FC]),
    # ---- older people ----
    phen("old_o1", OBS, "Asiakkaiden tuen tarpeisiin vastaavien asumispalvelujen puute.", ["housing_older", "older_substance"], [OLD], [HO]),
    phen("old_o2", OBS, "Asumisen haasteet: luteet, häätöjen lisääntyminen.", ["housing_older", "older_substance"], [OLD], [HO]),
    phen("old_o3", OBS, "Asiakkaiden ohjauksen, neuvonnan ja tuen tarpeet asioinnissa (terveydenhuolto, omakanta).",
      ["digital_services"], [OLD], [DE]),
    phen("old_o4", OBS, "Omaisten halu olla enemmän läsnä seniorin arjessa.", ["relatives"], [OLD], [SE],
      quoted=["relatives"]),
    phen("old_o5", OBS, "Osallisuuden heikentyminen toimintakyvyn laskun myötä.", ["participation_older"], [OLD], [FC],
      quoted=["participation_older"]),
    phen("old_o6", OBS, "Sosiaaliturvaleikkausten vaikutukset taloudelliseen tilanteeseen ja asumiseen.",
      ["older_substance"], [OLD], [LV]),
    phen("old_o7", OBS, "Pankkiasioiden hoitamisen vaikeudet.", ["digital_services"], [OLD], [DE]),
    phen("old_o8", OBS, "Päihteitä käyttävien ikääntyneiden etuuksien saamisen haasteet.", ["older_substance"], [OLD],
      [LV, SU]),
    phen("old_o9", OBS, "Päihdekuntoutuksen toteutumisen haasteet, kun asiakkaalla on kognition haasteita ja heikko "
      "fyysinen kunto.", ["older_substance"], [OLD], [SU, FC]),
    phen("old_o10", OBS, "Hoitajien kiireen vaikutukset ikäihmisten huomioimiseen.", ["nurses_rush"], [OLD], [SA],
      quoted=["nurses_rush"]),
    phen("old_p1", PROP, "Viestivihko tukemaan omaisten mukanaoloa seniorin arjessa.", ["relatives"], [OLD], [SE]),
    phen("old_p2", PROP, "Matalamman kynnyksen palvelutarpeenarvio ja palveluohjaus kotiin.", ["participation_older"], [OLD],
      [SA]),
    phen("old_p3", PROP, "Psyykkisistä ongelmista kärsivien asiakkaiden erityistarpeiden huomioimisen tärkeys "
      "kotihoidossa.", ["older_substance"], [OLD], [MH]),
    phen("old_p4", PROP, "Virikeohjaajan työn merkitys arjessa, jotta asukkaat saavat huomiota ja tarkoitusta arkeen.",
      ["nurses_rush"], [OLD], [SE]),
    # ---- outreach social work ----
    phen("out_o1", OBS, "Ruokajakelulla on suuri merkitys taloudellisen selviytymisen näkökulmasta.", ["food_aid"], [WA],
      [LV], "Valtio, kunnat tai hyvinvointialueet eivät kuitenkaan juuri tue ruokajakelua, ja useat toimijat hankkivat "
      "ruoka-avustukset itse ja vastaavat tilakustannuksista.", OUT, ["food_aid"]),
    phen("out_o2", OBS, "Asiakkailla on huoli etuuksien leikkauksista ja hintojen noususta: ostaako lääkkeitä vai ruokaa.",
      ["food_aid"], [WA], [LV], "Loppukuu on monelle tiukka, ja tämä näkyy ruokajakeluiden kävijämäärien nousuna.",
      OUT),
    phen("out_o3", OBS, "Asumistuen leikkaukset vaikuttavat taloudelliseen tilanteeseen ja pärjäämiseen merkittävästi.",
      ["housing_benefit_cuts", "food_aid"], [WA], [LV, HO], "", OUT),
    phen("out_o4", OBS, "Asiakkailla on huoli taloudesta ja toimeentulosta, ja se kuormittaa mielenterveyttä ja vaikuttaa "
      "arjessa jaksamiseen.", ["housing_benefit_cuts", "food_aid"], [WA], [LV, MH],
      "Uutiset lomautuksista ja irtisanomisista huolettavat: miten voi saada työtä, kun paikkoja vähennetään "
      "entisestään?", OUT),
    phen("out_o5", OBS, "Uuden asunnon saamisessa on vaikeuksia luottohäiriömerkintöjen tai vanhojen vuokravelkojen vuoksi.",
      ["housing_benefit_cuts", "evictions"], [WA], [HO], "Ihmiset ovat neuvottomia.", OUT),
    phen("out_o6", OBS, "Yksinäisyyden kokemus.", ["loneliness"], [WA], [SE],
      "Muiden kohtaaminen ruokajakelussa matalalla kynnyksellä ja vapaaehtoisten kanssa käytävät keskustelut luovat "
      "inhimillistä yhteyttä ja vähentävät yksinäisyyden tunnetta.", OUT, ["loneliness"]),
    phen("out_o7", OBS, "Tuulensuoja koettiin merkittäväksi yksinäisyyden lievittäjäksi.", ["loneliness"], [WA], [SE],
      "Henkilökunta on tullut monelle tutuksi vuosien saatossa, ja paikkaan koettiin olevan helppo mennä.", OUT),
    phen("out_o8", OBS, "Digipalveluiden yleistyessä ikääntyneet, vähävaraiset ja digitaalisen osaamisen puutteessa olevat "
      "ihmiset ovat vaarassa jäädä yhteiskunnan palvelujen ulkopuolelle.", ["digital_outreach"], [OLD, WA], [DE],
      "Ilman riittävää tukea osa ei pysty hyödyntämään digitaalisia palveluita ja asioimaan, mikä voi johtaa "
      "taloudellisiin ongelmiin, sosiaaliseen syrjäytymiseen ja vaikeuksiin saada tarvitsemiaan palveluja.", OUT,
      ["digital_outreach"]),
    phen("out_o9", OBS, "Lähipalveluiden katoaminen.", ["local_services"], [WA], [SA],
      "Etsivässä työssä kohdatut asiakkaat ovat toistuvasti kertoneet vaikeudestaan saavuttaa sekä sosiaali- että "
      "terveyspalveluja Heinolassa. Kulkeminen toiselle paikkakunnalle voi olla mahdotonta taloudellisen tilanteen "
      "tai terveydentilan vuoksi.", OUT),
    phen("out_p1", PROP, "Ohjaus- ja neuvontapalvelujen järjestäminen osa-aikaisesti ympäristökuntiin ja jalkautuminen "
      "ruokajonoihin.", ["local_services"], [WA], [SA], "", OUT),
    phen("out_p2", PROP, "Sosiaali- ja terveyspalvelujen numeroiden maksuttomuus.", ["local_services"], [WA], [SA], "", OUT),
    phen("out_p3", PROP, "Hyvinvointia lisäävien järjestöjen tukeminen niiden toimintaedellytysten vahvistamiseksi.",
      ["food_aid"], [WA], [AC], "", OUT),
    phen("out_p4", PROP, "Järjestöjen osaamisen vahvempi hyödyntäminen.", ["loneliness"], [WA], [AC], "", OUT),
    phen("out_p5", PROP, "Etsivä sosiaalityö ongelmien ennaltaehkäisemiseksi, palveluista tiedottamiseksi ja palvelujen "
      "piiriin hakeutumisen helpottamiseksi.", ["digital_outreach"], [WA, OLD], [SA], "", OUT),
    phen("out_p6", PROP, "Järjestöjen ruokajakelutoiminnan tukeminen julkisin varoin: Matalan kynnyksen kohtaamispaikka, "
      "jonka toiminta ja ryhmät vastaavat ihmisten kohtaamistarpeeseen.", ["food_aid"], [WA], [LV], "", OUT),
]  # fmt: skip


def by_handle() -> dict[str, Scripted]:
    return {r.handle: r for r in REPORTS}


def ids_by_handle(frame) -> dict[str, str]:
    """handle -> report_id of the imported reports (matched by their observation, unique in the period)."""
    ids = dict(zip(frame["observation"], frame["report_id"]))
    return {r.handle: ids[r.observation] for r in REPORTS}


def publish_demo(con) -> Publication:
    """Publish the period's analysis into ``con`` (inside build-demo's transaction), as the
    coordinator would: every report reviewed, the publishable decisions recorded."""
    period = Period.of(COUNTY, START, END)
    frame = q.period_reports(con, *period.key)
    ids = ids_by_handle(frame)
    at = PUBLISHED_AT.isoformat()
    phenomena = [
        Phenomenon(
            phenomenon_id=f"demo-2024-autumn-{item.handle}",
            kind=item.kind,
            title=item.title,
            body=item.body,
            service_unit=item.unit,
            position=float(i),
            deleted=False,
            version=1,
            updated_by=PUBLISHED_BY,
            updated_at=at,
            target_groups=list(item.groups),
            themes=list(item.themes),
            report_ids=[ids[h] for h in item.reports],
            quoted_report_ids=[ids[h] for h in item.quoted],
        )
        for i, item in enumerate(ANALYSIS, 1)
    ]
    reviews = {
        ids[r.handle]: Review(
            ids[r.handle],
            reviewed=True,
            reviewed_by=PUBLISHED_BY,
            reviewed_at=at,
            publishable=r.publishable,
            publishable_by=PUBLISHED_BY,
            publishable_at=at,
            version=1,
        )
        for r in REPORTS
    }
    draft = Draft(period, TITLE, INTRO, 1, None, phenomena, 0)
    return write_analysis(con, period, draft, reviews, PUBLISHED_BY, PUBLISHED_AT)
