// Analyst dashboard: one dataset, one selection, every widget follows it.
// Data never leaves the page: files are read in the browser and parsed by the
// kpi engine (WebAssembly) in a Web Worker; charts are drawn on the main thread.
// A published bundle (`kpi publish`, the national aggregate) opens instantly instead:
// "Published bundle" or `?bundle=URL/manifest.json`; it holds no record.
import * as kpi from "/kpi/kpi-widgets.js";

const SAMPLE_FILES = ["organisations.csv", "observations.csv", "students.csv", "grades.csv", "surveys.csv"];
const CARD_INDICATORS = {
  university: ["employment_rate", "student_teacher_ratio", "teachers_degree_share", "dropout_rate", "student_satisfaction", "gpa_mean"],
  college: ["employment_rate", "student_teacher_ratio", "dropout_rate", "final_attestation_pass_rate", "student_satisfaction", "graduation_on_time_rate"],
  school: ["exam_pass_rate", "student_teacher_ratio", "capacity_utilisation", "repetition_rate", "teachers_top_category_share", "parent_satisfaction"],
  preschool: ["capacity_utilisation", "student_teacher_ratio", "teachers_top_category_share", "staff_turnover", "parent_satisfaction", "area_per_student"],
};
const DEFAULT_INDICATOR = {
  university: "employment_rate", college: "employment_rate", school: "exam_pass_rate", preschool: "capacity_utilisation",
};

const UI = {
  kk: {
    title: "Білім беру сапасының мониторингі",
    subtitle: "Индикаторлар, тәуекел дәрежесі, динамикалық және салыстырмалы талдау",
    load_data: "Деректерді жүктеу", use_sample: "Үлгі деректер", theme: "Қараңғы тақырып", drop_here: "Файлдарды осында тастаңыз",
    level: "Деңгей", region: "Өңір", year: "Оқу жылы", ownership: "Меншік нысаны", locality: "Елді мекен",
    all: "Барлығы", ranking: "Тәуекел рейтингі", search: "Ұйымды іздеу", export_csv: "CSV экспорт",
    col_rank: "№", col_org: "Ұйым", col_region: "Өңір", col_score: "Балл", col_degree: "Дәреже", col_top: "Негізгі себеп",
    risk_compare: "Тәуекел балы: салыстыру", heatmap: "Индикаторлар картасы (перцентиль)", selected: "Таңдалған ұйым",
    indicator: "Индикатор", quality: "Деректер сапасы", footer: "Деректер браузерден шықпайды: барлық есептеу осы бетте WebAssembly арқылы орындалады.",
    preschool: "Мектепке дейінгі", school: "Мектеп", college: "Колледж", university: "ЖОО",
    state: "Мемлекеттік", private: "Жеке", urban: "Қала", rural: "Ауыл",
    low: "Төмен", medium: "Орташа", high: "Жоғары", insufficient_data: "Деректер жеткіліксіз",
    error: "қате", warning: "ескерту", note: "ескертпе", no_issues: "Ескертулер жоқ.",
    rejected: (t, r, c) => `Жүктелмеді: ${[t && `${t} кесте`, r && `${r} жол`, c && `${c} ұяшық`].filter(Boolean).join(", ")}. Себептері төменде.`, loading: "Жүктелуде…",
    loaded: (n, y) => `${n} ұйым, ${y} жыл жүктелді.`,
    open_bundle: "Жарияланған жиынтық", bundle_loaded: (n, y, k) => `Жарияланған жиынтық: ${n} ұйым, ${y} жыл. ${k} адамнан аз мәндер жасырылған.`,
    bundle_quality: (p, s) => `Жарияланған жиынтықта жеке жазбалар жоқ: ${p} мән жарияланды, ${s} мән жасырылды.`, shown: (n) => `${n} ұйым көрсетілген`,
    load_failed: "Деректерді жүктеу мүмкін болмады", no_org: "Кестеден ұйымды таңдаңыз",
  },
  ru: {
    title: "Мониторинг качества образования",
    subtitle: "Индикаторы, степень риска, динамический и сравнительный анализ",
    load_data: "Загрузить данные", use_sample: "Пример данных", theme: "Тёмная тема", drop_here: "Перетащите файлы сюда",
    level: "Уровень", region: "Регион", year: "Учебный год", ownership: "Форма собственности", locality: "Местность",
    all: "Все", ranking: "Рейтинг риска", search: "Поиск организации", export_csv: "Экспорт CSV",
    col_rank: "№", col_org: "Организация", col_region: "Регион", col_score: "Балл", col_degree: "Степень", col_top: "Главная причина",
    risk_compare: "Балл риска: сравнение", heatmap: "Карта индикаторов (перцентиль)", selected: "Выбранная организация",
    indicator: "Индикатор", quality: "Качество данных", footer: "Данные не покидают браузер: все вычисления выполняются на этой странице в WebAssembly.",
    preschool: "Дошкольная", school: "Школа", college: "Колледж", university: "Вуз",
    state: "Государственная", private: "Частная", urban: "Город", rural: "Село",
    low: "Низкая", medium: "Средняя", high: "Высокая", insufficient_data: "Недостаточно данных",
    error: "ошибка", warning: "предупреждение", note: "примечание", no_issues: "Предупреждений нет.",
    rejected: (t, r, c) => `Не загружено: ${[t && `таблиц: ${t}`, r && `строк: ${r}`, c && `ячеек: ${c}`].filter(Boolean).join(", ")}. Причины ниже.`, loading: "Загрузка…",
    loaded: (n, y) => `Загружено: ${n} организаций, ${y} лет.`,
    open_bundle: "Опубликованные агрегаты", bundle_loaded: (n, y, k) => `Опубликованные агрегаты: ${n} организаций, ${y} лет. Значения менее чем по ${k} лицам скрыты.`,
    bundle_quality: (p, s) => `В опубликованных агрегатах нет записей о людях: опубликовано значений ${p}, скрыто ${s}.`, shown: (n) => `Показано организаций: ${n}`,
    load_failed: "Не удалось загрузить данные", no_org: "Выберите организацию в таблице",
  },
  en: {
    title: "Education quality monitoring",
    subtitle: "Indicators, risk degree, dynamic and comparative analysis",
    load_data: "Load data", use_sample: "Sample data", theme: "Dark theme", drop_here: "Drop files here",
    level: "Level", region: "Region", year: "Academic year", ownership: "Ownership", locality: "Locality",
    all: "All", ranking: "Risk ranking", search: "Search organisation", export_csv: "Export CSV",
    col_rank: "#", col_org: "Organisation", col_region: "Region", col_score: "Score", col_degree: "Degree", col_top: "Main reason",
    risk_compare: "Risk score: comparison", heatmap: "Indicator heatmap (percentile)", selected: "Selected organisation",
    indicator: "Indicator", quality: "Data quality", footer: "Data never leaves the browser: all computation runs on this page in WebAssembly.",
    preschool: "Preschool", school: "School", college: "College", university: "University",
    state: "State", private: "Private", urban: "Urban", rural: "Rural",
    low: "Low", medium: "Medium", high: "High", insufficient_data: "Insufficient data",
    error: "error", warning: "warning", note: "note", no_issues: "No warnings.",
    rejected: (t, r, c) => `Not loaded: ${[t && `${t} table${t === 1 ? "" : "s"}`, r && `${r} row${r === 1 ? "" : "s"}`, c && `${c} cell${c === 1 ? "" : "s"}`].filter(Boolean).join(", ")}. The reasons are listed below.`, loading: "Loading…",
    loaded: (n, y) => `Loaded ${n} organisations, ${y} years.`,
    open_bundle: "Published bundle", bundle_loaded: (n, y, k) => `Published bundle: ${n} organisations, ${y} years. Values of fewer than ${k} persons are suppressed.`,
    bundle_quality: (p, s) => `A published bundle holds no record of a person: ${p} values published, ${s} suppressed.`, shown: (n) => `${n} organisations shown`,
    load_failed: "Could not load the data", no_org: "Pick an organisation in the table",
  },
  // Kyrgyz: the terms of the Naryn college regulation (мониторинг, тобокелдик, динамикалык
  // жана салыштырмалуу анализ, рейтинг).
  ky: {
    title: "Билим берүүнүн сапатынын мониторинги",
    subtitle: "Индикаторлор, тобокелдик деңгээли, динамикалык жана салыштырмалуу анализ",
    load_data: "Маалыматтарды жүктөө", use_sample: "Үлгү маалыматтар", theme: "Караңгы тема", drop_here: "Файлдарды ушул жерге таштаңыз",
    level: "Деңгээл", region: "Аймак", year: "Окуу жылы", ownership: "Менчигинин түрү", locality: "Жайгашкан жери",
    all: "Бардыгы", ranking: "Тобокелдик рейтинги", search: "Уюмду издөө", export_csv: "CSV экспорттоо",
    col_rank: "№", col_org: "Уюм", col_region: "Аймак", col_score: "Балл", col_degree: "Деңгээл", col_top: "Негизги себеп",
    risk_compare: "Тобокелдик баллы: салыштыруу", heatmap: "Индикаторлордун картасы (перцентиль)", selected: "Тандалган уюм",
    indicator: "Индикатор", quality: "Маалыматтардын сапаты", footer: "Маалыматтар браузерден чыкпайт: бардык эсептөө ушул баракта WebAssembly аркылуу аткарылат.",
    preschool: "Мектепке чейинки", school: "Мектеп", college: "Колледж", university: "ЖОЖ",
    state: "Мамлекеттик", private: "Жеке менчик", urban: "Шаар", rural: "Айыл",
    low: "Төмөн", medium: "Орточо", high: "Жогору", insufficient_data: "Маалымат жетишсиз",
    error: "ката", warning: "эскертүү", note: "эскертме", no_issues: "Эскертүүлөр жок.",
    rejected: (t, r, c) => `Жүктөлгөн жок: ${[t && `${t} таблица`, r && `${r} сап`, c && `${c} уяча`].filter(Boolean).join(", ")}. Себептери төмөндө.`, loading: "Жүктөлүүдө…",
    loaded: (n, y) => `${n} уюм, ${y} жыл жүктөлдү.`, shown: (n) => `${n} уюм көрсөтүлдү`,
    open_bundle: "Жарыяланган жыйынтык", bundle_loaded: (n, y, k) => `Жарыяланган жыйынтык: ${n} уюм, ${y} жыл. ${k} адамдан аз маанилер жашырылган.`,
    bundle_quality: (p, s) => `Жарыяланган жыйынтыкта адамдардын жеке жазуулары жок: ${p} маани жарыяланды, ${s} маани жашырылды.`,
    load_failed: "Маалыматтарды жүктөө мүмкүн болгон жок", no_org: "Таблицадан уюмду тандаңыз",
  },
};

const state = {
  lang: "kk",
  theme: "light",
  dataset: null,
  info: null,
  filters: { level: "university", region: "", year: null, ownership: "", locality: "" },
  ranking: [],
  sort: { key: "score", dir: "desc" },
  search: "",
  org: null,
  indicator: null,
};

// For the end-to-end test and for analysts at the console.
window.__kpiDashboard = state;

const $ = (id) => document.getElementById(id);
const t = (key) => UI[state.lang][key] ?? UI.en[key] ?? key;

function el(tag, props = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v);
  }
  if (text !== undefined && text !== null) node.textContent = String(text); // text only, never HTML
  return node;
}

function formatNumber(value, decimals = 1) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  // kk, ru and ky write numbers alike (space thousands separator, decimal comma); browsers
  // without Kazakh or Kyrgyz locale data would otherwise fall back to English.
  const locale = { kk: "ru-RU", ru: "ru-RU", ky: "ru-RU", en: "en-GB" }[state.lang];
  return new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);
}

function orgName(org) {
  if (!org) return "—";
  const names = org.names || {};
  return names[state.lang] || org.name || org.id;
}

// ---------- Language and theme ----------
function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
  for (const w of document.querySelectorAll("kpi-widget")) w.setAttribute("lang", state.lang);
  if (state.info) {
    fillFilters();
    fillIndicatorPicker();
    renderRanking();
    renderQuality();
    renderOrgHeader();
  }
}

function applyTheme() {
  document.documentElement.dataset.theme = state.theme;
  $("theme-toggle").setAttribute("aria-pressed", String(state.theme === "dark"));
  for (const w of document.querySelectorAll("kpi-widget")) w.setAttribute("theme", state.theme);
}

// ---------- Loading ----------
function setStatus(text, isError = false) {
  const node = $("status-text");
  node.textContent = text;
  node.classList.toggle("error", isError);
}

function setProgress(fraction, phase) {
  const box = $("progress");
  if (fraction === null) { box.hidden = true; return; }
  box.hidden = false;
  box.classList.toggle("busy", phase === "compute");
  $("progress-bar").style.width = `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

async function loadSources(sources) {
  setStatus(t("loading"));
  setProgress(0);
  document.body.dataset.state = "loading";
  try {
    const t0 = performance.now();
    const dataset = await kpi.load(sources, { onProgress: (p) => setProgress(p.fraction ?? 0, p.phase) });
    if (state.dataset && state.dataset !== dataset) kpi.dispose(state.dataset);
    state.dataset = dataset;
    state.info = await dataset.info(state.lang);
    const years = state.info.years;
    state.filters.year = years[years.length - 1];
    const levels = state.info.levels.filter((l) => l.count > 0).map((l) => l.code);
    if (!levels.includes(state.filters.level)) state.filters.level = levels[levels.length - 1] ?? "university";
    state.org = null;
    state.loadMs = performance.now() - t0;
    const count = state.info.bundle
      ? state.info.levels.reduce((n, l) => n + l.count, 0)
      : state.info.organisations.length;
    setStatus(state.info.bundle
      ? t("bundle_loaded")(count, years.length, state.info.suppression?.min_count)
      : t("loaded")(count, years.length));
    fillFilters();
    fillIndicatorPicker();
    await refresh();
    renderQuality();
    document.body.dataset.state = "ready";
  } catch (err) {
    console.warn("kpi: load failed", err);
    const message = typeof err?.localized === "function" ? err.localized(state.lang) : err?.message ?? String(err);
    setStatus(`${t("load_failed")}: ${message}`, true);
    document.body.dataset.state = state.dataset ? "ready" : "error";
  } finally {
    setProgress(null);
  }
}

/** Opens a published bundle (its manifest.json): aggregates only, read as charts need them. */
async function loadBundle(url = "/kpi-data/manifest.json") {
  await loadSources(new URL(url, document.baseURI).href);
}

async function loadSample() {
  // URLs: the engine fetches them with progress, and reads them again after a worker restart.
  await loadSources(SAMPLE_FILES.map((name) => new URL(`data/${name}`, document.baseURI).href));
}

// ---------- Filters ----------
function fillSelect(select, options, value) {
  select.replaceChildren(...options.map(([v, label]) => {
    const o = el("option", { value: v }, label);
    if (String(v) === String(value ?? "")) o.selected = true;
    return o;
  }));
}

function fillFilters() {
  const info = state.info;
  fillSelect($("f-level"), info.levels.filter((l) => l.count > 0).map((l) => [l.code, `${t(l.code)} (${l.count})`]), state.filters.level);
  fillSelect($("f-region"), [["", t("all")], ...info.regions.map((r) => [r.key, r.name])], state.filters.region);
  fillSelect($("f-year"), info.years.map((y) => [y, `${y}–${y + 1}`]).reverse(), state.filters.year);
  fillSelect($("f-ownership"), [["", t("all")], ["state", t("state")], ["private", t("private")]], state.filters.ownership);
  fillSelect($("f-locality"), [["", t("all")], ["urban", t("urban")], ["rural", t("rural")]], state.filters.locality);
  // A bundle publishes peer statistics by level and region only.
  for (const id of ["f-ownership", "f-locality"]) $(id).disabled = Boolean(info.bundle);
  if (info.bundle) { state.filters.ownership = ""; state.filters.locality = ""; }
}

function fillIndicatorPicker() {
  const list = state.info.indicators.filter((i) => i.levels.includes(state.filters.level));
  if (!list.some((i) => i.code === state.indicator)) state.indicator = DEFAULT_INDICATOR[state.filters.level] ?? list[0]?.code;
  fillSelect($("f-indicator"), list.map((i) => [i.code, i.labels[state.lang] || i.code]), state.indicator);
}

function peerSpec() {
  const f = state.filters;
  const spec = { level: f.level, year: f.year };
  if (f.region) spec.region = f.region;
  if (f.ownership) spec.ownership = f.ownership;
  if (f.locality) spec.locality = f.locality;
  return spec;
}

// ---------- Ranking ----------
async function refresh() {
  if (!state.dataset) return;
  state.ranking = await state.dataset.ranking(peerSpec(), state.lang);
  if (!state.org || !state.ranking.some((r) => r.org_id === state.org)) state.org = state.ranking[0]?.org_id ?? null;
  renderRanking();
  renderWidgets();
}

function degreeLabel(d) { return t(d) ?? d; }

function sortedRanking() {
  const { key, dir } = state.sort;
  const q = state.search.trim().toLowerCase();
  const rows = state.ranking.filter((r) => !q || orgName(r).toLowerCase().includes(q) || r.org_id.includes(q));
  const value = (r) => ({
    rank: r.rank, name: orgName(r), region: r.region_name, score: r.score ?? -1,
    degree: ["insufficient_data", "low", "medium", "high"].indexOf(r.degree), top: r.top_criterion_label?.[state.lang] ?? "",
  })[key];
  rows.sort((a, b) => {
    const va = value(a), vb = value(b);
    const c = typeof va === "string" ? va.localeCompare(vb, state.lang) : va - vb;
    return dir === "asc" ? c : -c;
  });
  return rows;
}

function renderRanking() {
  const counts = { high: 0, medium: 0, low: 0, insufficient_data: 0 };
  for (const r of state.ranking) counts[r.degree] = (counts[r.degree] ?? 0) + 1;
  $("degree-summary").replaceChildren(...Object.entries(counts).map(([d, n]) => el("span", { class: `chip ${d}` }, `${degreeLabel(d)}: ${n}`)));
  $("filter-summary").textContent = t("shown")(state.ranking.length);
  for (const th of document.querySelectorAll("#ranking-table th")) {
    th.setAttribute("aria-sort", th.dataset.sort === state.sort.key ? (state.sort.dir === "asc" ? "ascending" : "descending") : "none");
  }
  const rows = sortedRanking().slice(0, 500).map((r) => {
    const tr = el("tr", { "aria-selected": String(r.org_id === state.org), dataset: { org: r.org_id }, tabindex: "0" });
    tr.append(
      el("td", { class: "num" }, r.rank),
      el("td", { class: "org-name" }, orgName(r)),
      el("td", {}, r.region_name),
      el("td", { class: "num" }, r.score === null ? "—" : formatNumber(r.score, 1)),
      el("td", { class: `degree ${r.degree}` }, degreeLabel(r.degree)),
      el("td", {}, r.top_criterion_label?.[state.lang] ?? ""),
    );
    return tr;
  });
  $("ranking-table").tBodies[0].replaceChildren(...rows);
}

/** The ranking shown, as CSV: the columns of `kpi risk --format csv`, then names. */
function rankingCsv() {
  const quote = (v) => {
    const text = String(v ?? "");
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = ["org_id,year,score,degree,computable_weight_share,top_criterion,name,region"];
  for (const r of sortedRanking()) {
    lines.push([r.org_id, r.year, r.score ?? "", r.degree, r.computable_weight_share, r.top_criterion ?? "", orgName(r), r.region_name].map(quote).join(","));
  }
  return lines.join("\n") + "\n";
}

function exportRankingCsv() {
  const blob = new Blob(["\ufeff", rankingCsv()], { type: "text/csv;charset=utf-8" });
  const a = el("a", { href: URL.createObjectURL(blob), download: `risk-ranking-${state.filters.level}-${state.filters.year}.csv` });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ---------- Selected organisation ----------
function renderOrgHeader() {
  // A bundle has no organisation list: the ranking row carries the names.
  const row = state.ranking.find((r) => r.org_id === state.org);
  const org = state.info?.organisations.find((o) => o.id === state.org) ?? (row && { ...row, id: row.org_id });
  $("h-org").textContent = org ? orgName(org) : t("no_org");
  $("org-meta").textContent = org
    ? [org.id, t(org.level), org.region_name, org.ownership ? t(org.ownership) : null, org.locality ? t(org.locality) : null].filter(Boolean).join(" · ")
    : "";
}

function widgetSpec(kind, extra = {}) {
  return { kind, dataset: state.dataset, lang: state.lang, theme: state.theme, year: state.filters.year, peers: peerSpec(), ...extra };
}

/** Draws `spec` in the slot `id` (a container that receives its <kpi-widget> on first use). */
function show(id, spec) {
  const slot = $(id);
  return kpi.render(slot, { height: Number(slot.dataset.height) || undefined, ...spec });
}

function renderWidgets() {
  if (!state.dataset) return;
  renderOrgHeader();
  const org = state.org;
  show("w-risk-compare", widgetSpec("compare", { indicator: "risk_score", org, bottom: 20 }));
  show("w-heatmap", widgetSpec("heatmap", { org, indicators: CARD_INDICATORS[state.filters.level] }));
  const cards = (CARD_INDICATORS[state.filters.level] ?? []).map((code) => {
    const w = document.createElement("kpi-widget");
    return [w, code];
  });
  $("cards").replaceChildren(...cards.map(([w]) => w));
  for (const [w, code] of cards) kpi.render(w, widgetSpec("kpi-card", { org, indicator: code, height: 180 }));
  if (!org) return;
  const indicator = state.indicator;
  show("w-gauge", widgetSpec("risk-gauge", { org }));
  show("w-breakdown", widgetSpec("risk-breakdown", { org }));
  show("w-trend", widgetSpec("trend", { org, indicator }));
  show("w-radar", widgetSpec("radar", { org }));
  show("w-compare", widgetSpec("compare", { org, indicator, top: 15 }));
  show("w-distribution", widgetSpec("distribution", { org, indicator }));
}

function selectOrg(orgId) {
  if (!orgId || orgId === state.org) return;
  state.org = orgId;
  for (const tr of $("ranking-table").tBodies[0].rows) tr.setAttribute("aria-selected", String(tr.dataset.org === orgId));
  renderWidgets();
}

// ---------- Data quality ----------
function renderQuality() {
  const issues = state.info?.issues ?? [];
  if (state.info?.bundle) {
    const s = state.info.suppression ?? {};
    $("quality-count").textContent = "0";
    $("quality-rejected").hidden = true;
    $("quality-list").replaceChildren(el("li", { class: "empty-note" }, t("bundle_quality")(s.published ?? 0, (s.primary ?? 0) + (s.secondary ?? 0))));
    return;
  }
  $("quality-count").textContent = String(state.info?.issue_count ?? issues.length);
  // What the load lost, in one line in the page language (the CLI says the same on stderr).
  const lost = state.info?.rejected ?? { tables: 0, rows: 0, cells: 0 };
  const summary = $("quality-rejected");
  summary.hidden = !(lost.tables || lost.rows || lost.cells);
  summary.textContent = summary.hidden ? "" : UI[state.lang].rejected(lost.tables, lost.rows, lost.cells);
  if (issues.length === 0) {
    $("quality-list").replaceChildren(el("li", { class: "empty-note" }, t("no_issues")));
    return;
  }
  $("quality-list").replaceChildren(...issues.slice(0, 300).map((i) => {
    const li = el("li");
    const where = [i.file, i.sheet ? `[${i.sheet}]` : "", i.row ? `:${i.row}` : "", i.column ? `:${i.column}` : ""].join("");
    // The details are English; in Kazakh and Russian the kind of problem is
    // shown in the page language with the value found, the details on hover.
    const title = i.titles?.[state.lang];
    const msg = state.lang === "en" || !title
      ? el("span", { class: "msg" }, i.message)
      : el("span", { class: "msg", title: i.message }, i.found ? `${title}: «${i.found}»` : title);
    li.append(el("span", { class: `sev ${i.severity}` }, t(i.severity)), el("span", { class: "where" }, where), msg);
    return li;
  }));
}

// ---------- Wiring ----------
function wire() {
  $("file-input").addEventListener("change", (e) => { if (e.target.files.length) loadSources([...e.target.files]); });
  $("use-sample").addEventListener("click", () => loadSample());
  $("open-bundle").addEventListener("click", () => loadBundle());
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => { state.lang = b.dataset.lang; applyLanguage(); renderWidgets(); });
  $("theme-toggle").addEventListener("click", () => { state.theme = state.theme === "dark" ? "light" : "dark"; applyTheme(); renderWidgets(); });
  const onFilter = (key, parse = (v) => v) => (e) => { state.filters[key] = parse(e.target.value); if (key === "level") fillIndicatorPicker(); refresh(); };
  $("f-level").addEventListener("change", onFilter("level"));
  $("f-region").addEventListener("change", onFilter("region"));
  $("f-year").addEventListener("change", onFilter("year", Number));
  $("f-ownership").addEventListener("change", onFilter("ownership"));
  $("f-locality").addEventListener("change", onFilter("locality"));
  $("f-indicator").addEventListener("change", (e) => { state.indicator = e.target.value; renderWidgets(); });
  $("ranking-search").addEventListener("input", (e) => { state.search = e.target.value; renderRanking(); });
  $("ranking-export").addEventListener("click", exportRankingCsv);
  for (const th of document.querySelectorAll("#ranking-table th")) {
    th.addEventListener("click", () => {
      const key = th.dataset.sort;
      state.sort = { key, dir: state.sort.key === key && state.sort.dir === "desc" ? "asc" : "desc" };
      renderRanking();
    });
  }
  const tbody = $("ranking-table").tBodies[0];
  tbody.addEventListener("click", (e) => selectOrg(e.target.closest("tr")?.dataset.org));
  tbody.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectOrg(e.target.closest("tr")?.dataset.org); } });
  // Every widget that can select a unit drives the whole page.
  document.addEventListener("kpi-select", (e) => selectOrg(e.detail?.org));
  // Drag and drop anywhere on the page.
  let depth = 0;
  window.addEventListener("dragenter", (e) => { e.preventDefault(); depth++; $("drop-overlay").hidden = false; });
  window.addEventListener("dragleave", () => { if (--depth <= 0) { depth = 0; $("drop-overlay").hidden = true; } });
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => {
    e.preventDefault(); depth = 0; $("drop-overlay").hidden = true;
    if (e.dataTransfer?.files?.length) loadSources([...e.dataTransfer.files]);
  });
}

// Slots keep their height before the first data arrive (CSSOM, allowed under a strict CSP).
for (const slot of document.querySelectorAll(".slot")) slot.style.minHeight = `${slot.dataset.height}px`;
wire();
applyLanguage();
applyTheme();
const bundleParam = new URLSearchParams(location.search).get("bundle");
if (bundleParam) loadBundle(bundleParam); else loadSample();
