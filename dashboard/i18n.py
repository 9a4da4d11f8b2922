"""The one translation layer for UI strings. Finnish is complete; Swedish and
English follow. Labels of codes (themes, regions, ...) are not here: they come
from the data tables' name_fi/name_sv/name_en columns."""

from __future__ import annotations

from .config import LANGUAGES

# key: (fi, sv, en)
STRINGS: dict[str, tuple[str, str, str]] = {
    "app.title": ("Tilannekuva", "Lägesbild", "Tilannekuva"),
    "app.tagline": (
        "Sosiaalisen raportoinnin havainnot ja hyvinvointi-indikaattorit rinnakkain",
        "Observationer från social rapportering och välfärdsindikatorer sida vid sida",
        "Social reporting observations next to wellbeing indicators",
    ),
    "nav.overview": ("Yleiskuva", "Översikt", "Overview"),
    "nav.reports": ("Raportit", "Rapporter", "Reports"),
    "nav.main": ("Päävalikko", "Huvudmeny", "Main menu"),
    "nav.language": ("Kieli", "Språk", "Language"),
    "nav.skip": ("Siirry sisältöön", "Hoppa till innehållet", "Skip to content"),
    "demo.notice": (
        "Demoaineisto: raportit, tekstit ja indikaattoriarvot ovat synteettisiä. "
        "Päijät-Hämeen syksyn 2024, Kainuun 1–6/2021 ja Essoten 9–12/2021 raporttimäärät "
        "sekä Essoten ja Sirkkulanpuiston asiakastiedot vastaavat julkaistuja lukuja.",
        "Demodata: rapporter, texter och indikatorvärden är syntetiska. "
        "Antalet rapporter för Päijänne-Tavastland hösten 2024, Kajanaland 1–6/2021 och Essote 9–12/2021 "
        "samt Essotes och Sirkkulanpuistos klientuppgifter motsvarar publicerade siffror.",
        "Demo data: reports, texts and indicator values are synthetic. "
        "Report counts for Päijät-Häme autumn 2024, Kainuu 1–6/2021 and Essote 9–12/2021 "
        "and the Essote and Sirkkulanpuisto client figures match published figures.",
    ),
    "source.reports": (
        "Lähde: sosiaalinen raportointi",
        "Källa: social rapportering",
        "Source: social reporting",
    ),
    "source.reports_demo": (
        "Lähde: sosiaalinen raportointi (synteettinen demoaineisto)",
        "Källa: social rapportering (syntetiska demodata)",
        "Source: social reporting (synthetic demo data)",
    ),
    "filter.heading": ("Rajaukset", "Avgränsningar", "Filters"),
    "filter.county": ("Hyvinvointialue", "Välfärdsområde", "Wellbeing services county"),
    "filter.municipality": ("Kunta tai alue", "Kommun eller område", "Municipality or area"),
    "filter.target_group": ("Kohderyhmä", "Målgrupp", "Target group"),
    "filter.theme": ("Teema", "Tema", "Theme"),
    "filter.type": ("Havainnon tyyppi", "Typ av observation", "Observation type"),
    "filter.unit": ("Raportoijan palvelutehtävä", "Rapportörens serviceuppgift", "Reporter's service unit"),
    "filter.period": ("Ajanjakso", "Period", "Period"),
    "filter.dates": ("Vapaa aikaväli", "Fritt tidsintervall", "Custom date range"),
    "filter.from": ("Alkaen", "Från", "From"),
    "filter.to": ("Päättyen", "Till", "To"),
    "filter.all": ("Kaikki", "Alla", "All"),
    "filter.clear": ("Tyhjennä rajaukset", "Töm avgränsningar", "Clear filters"),
    "filter.search": ("Hae teksteistä", "Sök i texterna", "Search the texts"),
    "filter.national": ("Valtakunnallinen ilmiö", "Nationellt fenomen", "National phenomenon"),
    "filter.whole_county": ("Koko hyvinvointialue: {name}", "Hela välfärdsområdet: {name}", "Whole county: {name}"),
    "period.autumn": ("Syksy {year} (1.9.–31.12.)", "Hösten {year} (1.9–31.12)", "Autumn {year} (1 Sep–31 Dec)"),
    "period.h1": ("1. puolivuotis {year}", "Första halvåret {year}", "First half of {year}"),
    "period.h2": ("2. puolivuotis {year}", "Andra halvåret {year}", "Second half of {year}"),
    "period.year": ("Vuosi {year}", "År {year}", "Year {year}"),
    "period.all": ("Koko aika", "Hela tiden", "All time"),
    "period.custom": ("Oma aikaväli", "Eget intervall", "Custom range"),
    "caption.all_counties": ("Kaikki hyvinvointialueet", "Alla välfärdsområden", "All counties"),
    "caption.reports": ("{n} raporttia", "{n} rapporter", "{n} reports"),
    "caption.report_one": ("1 raportti", "1 rapport", "1 report"),
    "caption.all_time": ("koko aika", "hela tiden", "all time"),
    "kpi.reports": ("Raportteja", "Rapporter", "Reports"),
    "kpi.negative": ("Kielteisiä havaintoja", "Negativa observationer", "Negative observations"),
    "kpi.positive": ("Myönteisiä havaintoja", "Positiva observationer", "Positive observations"),
    "kpi.neutral": ("Neutraaleja havaintoja", "Neutrala observationer", "Neutral observations"),
    "kpi.share_of": ("{share} raporteista", "{share} av rapporterna", "{share} of reports"),
    "chart.themes": ("Teemat", "Teman", "Themes"),
    "chart.target_groups": ("Kohderyhmät", "Målgrupper", "Target groups"),
    "chart.areas": ("Kunta tai alue, jota raportti koskee", "Kommun eller område som rapporten gäller", "Area the report concerns"),
    "chart.types": ("Havaintojen tyypit", "Typer av observationer", "Observation types"),
    "chart.trend": ("Raportit puolivuosittain", "Rapporter per halvår", "Reports by half-year"),
    "chart.units": ("Raportoijan palvelutehtävä", "Rapportörens serviceuppgift", "Reporter's service unit"),
    "chart.multi_note": (
        "Raportissa voi olla useita arvoja, joten summa voi ylittää raporttien määrän. Osuudet ovat raporteista.",
        "En rapport kan ha flera värden, så summan kan överstiga antalet rapporter. Andelarna gäller rapporterna.",
        "A report can carry several values, so the sum can exceed the number of reports. Shares are of reports.",
    ),
    "chart.count": ("Raportteja", "Rapporter", "Reports"),
    "chart.empty": ("Ei raportteja näillä rajauksilla.", "Inga rapporter med dessa avgränsningar.", "No reports match these filters."),
    "chart.as_table": ("Näytä taulukkona", "Visa som tabell", "Show as a table"),
    "chart.summary_top": (
        "Yleisin: {label}, {n} raporttia ({share}).",
        "Vanligast: {label}, {n} rapporter ({share}).",
        "Most common: {label}, {n} reports ({share}).",
    ),
    "chart.half_year": ("Puolivuotis", "Halvår", "Half-year"),
    "table.value": ("Arvo", "Värde", "Value"),
    "table.count": ("Raportteja", "Rapporter", "Reports"),
    "table.share": ("Osuus raporteista", "Andel av rapporterna", "Share of reports"),
    "warning.heading": ("Kaikkia rajauksia ei voitu käyttää", "Alla avgränsningar kunde inte användas", "Some filters could not be used"),
    "warning.unknown_value": ("Tuntematon arvo {param}={value} ohitettiin.", "Okänt värde {param}={value} ignorerades.", "Unknown value {param}={value} was ignored."),
    "warning.bad_date": ("Päivämäärää {param}={value} ei tunnistettu (esim. 1.9.2024 tai 2024-09-01); se ohitettiin.", "Datumet {param}={value} kändes inte igen (t.ex. 1.9.2024 eller 2024-09-01); det ignorerades.", "Date {param}={value} was not recognised (e.g. 2024-09-01); it was ignored."),
    "warning.reversed": ("Alkupäivä {start} on loppupäivän {end} jälkeen; aikarajaus ohitettiin.", "Startdatumet {start} är efter slutdatumet {end}; tidsavgränsningen ignorerades.", "Start date {start} is after end date {end}; the date filter was ignored."),
    "warning.too_many": ("Liian monta arvoa parametrille {param} (enintään {max}); ylimääräiset ohitettiin.", "För många värden för {param} (högst {max}); de överskjutande ignorerades.", "Too many values for {param} (at most {max}); the rest were ignored."),
    "warning.too_long": ("Liian pitkä arvo parametrille {param}; se ohitettiin.", "För långt värde för {param}; det ignorerades.", "Value too long for {param}; it was ignored."),
    "warning.unknown_param": ("Tuntematon parametri {param} ohitettiin.", "Okänd parameter {param} ignorerades.", "Unknown parameter {param} was ignored."),
    "error.no_database": (
        "Tietokantaa ei löydy ({path}). Rakenna demoaineisto komennolla: python -m dashboard build-demo",
        "Databasen hittas inte ({path}). Bygg demodata med: python -m dashboard build-demo",
        "Database not found ({path}). Build the demo data with: python -m dashboard build-demo",
    ),
    "col.report_id": ("Raportin tunniste", "Rapportens id", "Report id"),
    "col.submitted_on": ("Päivämäärä", "Datum", "Date"),
    "col.county": ("Hyvinvointialue", "Välfärdsområde", "County"),
    "col.service_unit": ("Palvelutehtävä", "Serviceuppgift", "Service unit"),
    "col.areas": ("Alueet", "Områden", "Areas"),
    "col.target_groups": ("Kohderyhmät", "Målgrupper", "Target groups"),
    "col.themes": ("Teemat", "Teman", "Themes"),
    "col.observation_type": ("Havainnon tyyppi", "Typ av observation", "Observation type"),
    "col.publishable": ("Julkaistava", "Publicerbar", "Publishable"),
    "col.observation": ("Havainto", "Observation", "Observation"),
    "col.client_voice": ("Asiakkaan ääni", "Klientens röst", "Client voice"),
    "col.proposal": ("Ratkaisuehdotus", "Lösningsförslag", "Solution proposal"),
    "col.followup_status": ("Seurannan tila", "Uppföljningsstatus", "Follow-up status"),
    "col.handled_in": ("Käsitelty", "Behandlad i", "Handled in"),
    "col.forwarded_to": ("Välitetty", "Vidarebefordrad till", "Forwarded to"),
    "col.followup_action": ("Toimenpide", "Åtgärd", "Action"),
    "col.dimension": ("Luokittelu", "Indelning", "Breakdown"),
    "col.summary": ("Yhteenveto", "Sammanfattning", "Summary"),
    "value.yes": ("kyllä", "ja", "yes"),
    "value.no": ("ei", "nej", "no"),
    "meta.sheet": ("Tiedot", "Uppgifter", "About"),
    "meta.caption": ("Rajaukset", "Avgränsningar", "Filters"),
    "meta.exported": ("Viety", "Exporterad", "Exported"),
    "meta.source": ("Lähde", "Källa", "Source"),
    "meta.rows": ("Rivejä", "Rader", "Rows"),
    "meta.filters": ("Linkin parametrit", "Länkens parametrar", "Link parameters"),
    "meta.privacy": ("Tietosuoja", "Dataskydd", "Privacy"),
    "meta.privacy_text": (
        "Vapaat tekstit näytetään vain raporteista, jotka koordinaattori on merkinnyt julkaistaviksi.",
        "Fria texter visas endast för rapporter som koordinatorn har märkt som publicerbara.",
        "Free texts are shown only for reports the coordinator has marked publishable.",
    ),
    "meta.demo": ("Demoaineisto", "Demodata", "Demo data"),
    "download.heading": ("Lataa", "Ladda ned", "Download"),
    "download.reports_csv": ("Raportit (CSV)", "Rapporter (CSV)", "Reports (CSV)"),
    "download.reports_xlsx": ("Raportit (Excel)", "Rapporter (Excel)", "Reports (Excel)"),
    "download.summary_csv": ("Kaavioiden luvut (CSV)", "Diagrammens siffror (CSV)", "Chart figures (CSV)"),
    "download.summary_xlsx": ("Kaavioiden luvut (Excel)", "Diagrammens siffror (Excel)", "Chart figures (Excel)"),
    "reading.heading": ("Havainnot ja ratkaisuehdotukset", "Observationer och lösningsförslag", "Observations and proposals"),
    "reading.placeholder": ("esim. asunto, jono, digi", "t.ex. bostad, kö, digital", "e.g. housing, queue"),
    "reading.count": (
        "Näytetään {shown} / {total} julkaistavaa raporttia.",
        "Visar {shown} av {total} publicerbara rapporter.",
        "Showing {shown} of {total} publishable reports.",
    ),
    "reading.unpublished": (
        "{n} raporttia ei ole merkitty julkaistaviksi: ne lasketaan mukaan lukuihin, mutta niiden tekstejä ei näytetä.",
        "{n} rapporter är inte märkta som publicerbara: de räknas med i siffrorna men deras texter visas inte.",
        "{n} reports are not marked publishable: they are counted, but their texts are not shown.",
    ),
    "reading.more": ("Näytä lisää", "Visa fler", "Show more"),
    "reading.none": ("Ei julkaistavia raportteja näillä rajauksilla.", "Inga publicerbara rapporter med dessa avgränsningar.", "No publishable reports match."),
    "reading.observation": ("Havainto", "Observation", "Observation"),
    "reading.voice": ("Asiakkaan ääni", "Klientens röst", "Client voice"),
    "reading.proposal": ("Ratkaisuehdotus", "Lösningsförslag", "Solution proposal"),
    "reading.followup": ("Mitä siitä seurasi", "Vad det ledde till", "What came of it"),
    "compare.heading": ("Kahden ajanjakson vertailu", "Jämförelse av två perioder", "Two periods side by side"),
    "compare.lead": (
        "Muut rajaukset ovat samat kuin yllä; ajanjaksot valitaan tästä.",
        "Övriga avgränsningar är desamma som ovan; perioderna väljs här.",
        "Other filters are as above; choose the periods here.",
    ),
    "compare.a": ("Aiempi ajanjakso", "Tidigare period", "Earlier period"),
    "compare.b": ("Myöhempi ajanjakso", "Senare period", "Later period"),
    "compare.dimension": ("Vertaa", "Jämför", "Compare by"),
    "compare.dim.theme": ("Teemat", "Teman", "Themes"),
    "compare.dim.target_group": ("Kohderyhmät", "Målgrupper", "Target groups"),
    "compare.dim.area": ("Kunnat ja alueet", "Kommuner och områden", "Areas"),
    "compare.dim.service_unit": ("Palvelutehtävät", "Serviceuppgifter", "Service units"),
    "compare.dim.observation_type": ("Havaintojen tyypit", "Typer av observationer", "Observation types"),
    "compare.caption": (
        "{a} ({n_a} raporttia) ja {b} ({n_b} raporttia): raporttien määrät",
        "{a} ({n_a} rapporter) och {b} ({n_b} rapporter): antal rapporter",
        "{a} ({n_a} reports) and {b} ({n_b} reports): number of reports",
    ),
    "compare.change": ("Muutos", "Förändring", "Change"),
    "compare.note": ("Huomio", "Anmärkning", "Note"),
    "compare.new": ("uusi", "ny", "new"),
    "compare.gone": ("ei enää", "inte längre", "no longer"),
    "compare.grew": ("kasvoi", "ökade", "grew"),
    "compare.fell": ("väheni", "minskade", "fell"),
    "dropdown.select_all": ("Valitse kaikki", "Välj alla", "Select all"),
    "dropdown.deselect_all": ("Poista kaikki valinnat", "Avmarkera alla", "Deselect all"),
    "dropdown.selected_count": ("{num_selected} valittu", "{num_selected} valda", "{num_selected} selected"),
    "dropdown.search": ("Hae", "Sök", "Search"),
    "dropdown.clear_search": ("Tyhjennä haku", "Töm sökningen", "Clear search"),
    "dropdown.clear_selection": ("Tyhjennä valinta", "Töm valet", "Clear selection"),
    "dropdown.no_options_found": ("Ei vaihtoehtoja", "Inga alternativ", "No options found"),
    "nav.indicators": ("Indikaattorit", "Indikatorer", "Indicators"),
    "nav.phenomena": ("Ilmiöt", "Fenomen", "Phenomena"),
    "ind.kind.all": ("Kaikki lähteet", "Alla källor", "All sources"),
    "ind.kind.sotkanet": ("THL Sotkanet", "THL Sotkanet", "THL Sotkanet"),
    "ind.kind.local": ("Oma asiakastietokooste", "Egen klientdatasammanställning", "Own client-data collection"),
    "ind.kind.synthetic": ("Synteettinen demo", "Syntetisk demo", "Synthetic demo"),
    "ind.source_filter": ("Lähde", "Källa", "Source"),
    "ind.indicator": ("Indikaattori", "Indikator", "Indicator"),
    "ind.region": ("Alue", "Område", "Area"),
    "ind.year": ("Vuosi", "År", "Year"),
    "ind.sex": ("Sukupuoli", "Kön", "Sex"),
    "ind.sex.total": ("Yhteensä", "Totalt", "Total"),
    "ind.sex.male": ("Miehet", "Män", "Men"),
    "ind.sex.female": ("Naiset", "Kvinnor", "Women"),
    "ind.county": ("hyvinvointialue", "välfärdsområde", "county"),
    "ind.counties": ("Hyvinvointialueet", "Välfärdsområden", "Wellbeing services counties"),
    "ind.updated": ("päivitetty {date}", "uppdaterad {date}", "updated {date}"),
    "ind.ranking": ("{indicator}: kunnat", "{indicator}: kommuner", "{indicator}: municipalities"),
    "ind.map": ("{indicator}: hyvinvointialueet", "{indicator}: välfärdsområden", "{indicator}: counties"),
    "ind.by_sex": ("{indicator}: sukupuolen mukaan", "{indicator}: efter kön", "{indicator}: by sex"),
    "ind.no_data": ("ei tietoa", "uppgift saknas", "no data"),
    "ind.none": ("Valitse indikaattori.", "Välj en indikator.", "Choose an indicator."),
    "ind.synthetic": (
        "Synteettinen demoindikaattori: arvot eivät ole THL:n tilastoja.",
        "Syntetisk demoindikator: värdena är inte THL:s statistik.",
        "Synthetic demo indicator: the values are not THL statistics.",
    ),
    "ind.privacy": (
        "Alle {k} henkilön luvut näytetään muodossa ”< {k}” eikä niitä käytetä kaavioissa tai latauksissa.",
        "Värden som bygger på färre än {k} personer visas som ”< {k}” och används inte i diagram eller nedladdningar.",
        "Values built from fewer than {k} persons are shown as “< {k}” and left out of charts and downloads.",
    ),
    "download.indicators_csv": ("Indikaattoritaulukko (CSV)", "Indikatortabell (CSV)", "Indicator table (CSV)"),
    "download.indicators_xlsx": ("Indikaattoritaulukko (Excel)", "Indikatortabell (Excel)", "Indicator table (Excel)"),
    "col.indicator_id": ("Indikaattorin tunniste", "Indikatorns id", "Indicator id"),
    "col.indicator": ("Indikaattori", "Indikator", "Indicator"),
    "col.unit": ("Yksikkö", "Enhet", "Unit"),
    "col.source": ("Lähde", "Källa", "Source"),
    "col.licence": ("Lisenssi", "Licens", "Licence"),
    "col.region_code": ("Aluekoodi", "Områdeskod", "Region code"),
    "col.region": ("Alue", "Område", "Region"),
    "col.level": ("Aluetaso", "Områdesnivå", "Level"),
    "col.year": ("Vuosi", "År", "Year"),
    "col.sex": ("Sukupuoli", "Kön", "Sex"),
    "col.value": ("Arvo", "Värde", "Value"),
    "col.n": ("n", "n", "n"),
    "phen.lead": (
        "Teeman raportit ja siihen liittyvät indikaattorit rinnakkain.",
        "Temats rapporter och indikatorerna som hör till det sida vid sida.",
        "A theme's reports and the indicators linked to it, side by side.",
    ),
    "phen.choose": ("Valitse teema:", "Välj ett tema:", "Choose a theme:"),
    "phen.trend": ("Teeman raportit puolivuosittain", "Temats rapporter per halvår", "The theme's reports by half-year"),
    "phen.proposals": ("Ratkaisuehdotukset", "Lösningsförslag", "Solution proposals"),
    "phen.proposals_note": (
        "{n} eri ehdotusta julkaistavista raporteista, uusimmat ensin.",
        "{n} olika förslag ur publicerbara rapporter, de nyaste först.",
        "{n} distinct proposals from publishable reports, newest first.",
    ),
    "phen.indicators": ("Teemaan liitetyt indikaattorit", "Indikatorer kopplade till temat", "Indicators linked to the theme"),
    "phen.indicators_note": (
        "Linkitykset ovat koordinaattorin ylläpitämässä tiedostossa data/theme_indicators.csv.",
        "Kopplingarna finns i filen data/theme_indicators.csv som koordinatorn underhåller.",
        "The links live in data/theme_indicators.csv, which the coordinator maintains.",
    ),
    "phen.no_links": ("Teemaan ei ole liitetty indikaattoreita.", "Inga indikatorer är kopplade till temat.", "No indicators are linked to this theme."),
    "phen.open_indicator": ("Avaa indikaattorinäkymässä", "Öppna i indikatorvyn", "Open in the indicator view"),
    "level.municipality": ("kunta", "kommun", "municipality"),
    "level.county": ("hyvinvointialue", "välfärdsområde", "wellbeing services county"),
    "level.country": ("koko maa", "hela landet", "whole country"),
    "page.overview.heading": ("Yleiskuva", "Översikt", "Overview"),
    "page.overview.lead": (
        "Sosiaalisen raportoinnin havainnot valitulta alueelta ja ajanjaksolta.",
        "Observationer från social rapportering för valt område och period.",
        "Social reporting observations for the chosen county and period.",
    ),
    "page.not_found": ("Sivua ei löytynyt.", "Sidan hittades inte.", "Page not found."),
    "footer.licence": (
        "Indikaattorit: THL, Sotkanet (CC BY 4.0) sekä hyvinvointialueiden omat asiakastietokoosteet.",
        "Indikatorer: THL, Sotkanet (CC BY 4.0) samt välfärdsområdenas egna klientdatasammanställningar.",
        "Indicators: THL, Sotkanet (CC BY 4.0) and the counties' own client-data collections.",
    ),
}


def t(key: str, lang: str = "fi", **values: object) -> str:
    """The UI string ``key`` in ``lang`` (falling back to Finnish)."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry[LANGUAGES.index(lang)] if lang in LANGUAGES else entry[0]
    text = text or entry[0]
    return text.format(**values) if values else text


def dropdown_labels(lang: str) -> dict[str, str]:
    """The texts Dash's dropdown shows itself (search box, select all, ...)."""
    keys = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
            "no_options_found")
    labels = {key: t(f"dropdown.{key}", lang) for key in keys}
    # Dash fills {num_selected} in itself.
    labels["selected_count"] = STRINGS["dropdown.selected_count"][LANGUAGES.index(lang) if lang in LANGUAGES else 0]
    return labels


def label_column(lang: str) -> str:
    """The name column of a code table for ``lang``: name_fi, name_sv or name_en."""
    return f"name_{lang if lang in LANGUAGES else 'fi'}"
