// messages.js: every text a reader of the page sees, in kk, ru, en and ky: the one source.
//
// Error messages are keyed by the error code (`KpiError.code`). The Rust crate compiles
// the messages of its own codes in from this file (wasm-widgets/src/error.rs reads it
// with include_str! and fails to build when a code or a language is missing), so inside
// MESSAGES keep the shape: a `'code': {` line, then one `kk: '…',` / `ru: '…',` /
// `en: '…',` / `ky: '…',` line each, texts in single quotes with no quote, backslash or brace inside.

/** The languages of labels and messages. */
export const LANGS = ['kk', 'ru', 'en', 'ky'];

/** The one default language (Kazakh, the state language): a widget with no `lang` of its
 *  own, on a page whose language is not one of LANGS, and the engine and charts when no
 *  language is given. The same as `Lang::default()` in Rust (a test compares them). */
export const DEFAULT_LANG = 'kk';

/** Error messages by code: raised by the Rust side (first group) or by JavaScript. */
export const MESSAGES = {
  'bad-spec': {
    kk: 'Диаграмма сипаттамасы қате.',
    ru: 'Неверное описание диаграммы.',
    en: 'The chart description is not valid.',
    ky: 'Диаграмманын сыпаттамасы туура эмес.',
  },
  'unknown-kind': {
    kk: 'Диаграмманың бұл түрі қолжетімсіз.',
    ru: 'Такой вид диаграммы недоступен.',
    en: 'This kind of chart is not available.',
    ky: 'Диаграмманын бул түрү жеткиликсиз.',
  },
  'bad-argument': {
    kk: 'Виджетке қате мән берілді.',
    ru: 'Виджету передано неверное значение.',
    en: 'The widget was given an invalid value.',
    ky: 'Виджетке туура эмес маани берилди.',
  },
  'too-large': {
    kk: 'Деректер тым көп: шектен асып кетті.',
    ru: 'Слишком много данных: превышен предел.',
    en: 'Too much data: a limit was exceeded.',
    ky: 'Маалымат өтө көп: чектен ашып кетти.',
  },
  'canvas': {
    kk: 'Браузер диаграмманы сала алмайды.',
    ru: 'Браузер не может нарисовать диаграмму.',
    en: 'The browser cannot draw the chart.',
    ky: 'Браузер диаграмманы тарта албайт.',
  },
  'draw': {
    kk: 'Диаграмманы салу кезінде қате шықты.',
    ru: 'Ошибка при рисовании диаграммы.',
    en: 'The chart could not be drawn.',
    ky: 'Диаграмманы тартууда ката кетти.',
  },
  'import': {
    kk: 'Деректер файлын оқу мүмкін болмады.',
    ru: 'Не удалось прочитать файл данных.',
    en: 'The data file could not be read.',
    ky: 'Маалымат файлын окуу мүмкүн болгон жок.',
  },
  'not-found': {
    kk: 'Сұралған деректер табылмады.',
    ru: 'Запрошенные данные не найдены.',
    en: 'The requested data were not found.',
    ky: 'Суралган маалымат табылган жок.',
  },
  'view-unavailable': {
    kk: 'Деректер жиынынан диаграмма құру әзірге қолжетімсіз; деректерді тікелей беріңіз.',
    ru: 'Построение диаграммы из набора данных пока недоступно; передайте данные напрямую.',
    en: 'Charts computed from a dataset are not available yet; pass the chart data directly.',
    ky: 'Маалымат топтомунан диаграмма түзүү азырынча жеткиликсиз; маалыматты түздөн-түз бериңиз.',
  },
  // Raised in JavaScript.
  'internal': {
    kk: 'Виджеттің ішкі қатесі. Беттің қалған бөлігі жұмыс істейді.',
    ru: 'Внутренняя ошибка виджета. Остальная страница работает.',
    en: 'Internal widget error. The rest of the page keeps working.',
    ky: 'Виджеттин ички катасы. Барактын калган бөлүгү иштей берет.',
  },
  'network': {
    kk: 'Деректер файлын жүктеу мүмкін болмады.',
    ru: 'Не удалось загрузить файл данных.',
    en: 'The data file could not be downloaded.',
    ky: 'Маалымат файлын жүктөө мүмкүн болгон жок.',
  },
  'no-data': {
    kk: 'Деректер берілмеген: src немесе data атрибутын көрсетіңіз.',
    ru: 'Данные не заданы: укажите атрибут src или data.',
    en: 'No data: set the src or data attribute.',
    ky: 'Маалымат берилген жок: src же data атрибутун көрсөтүңүз.',
  },
  'unsupported': {
    kk: 'Бұл браузер WebAssembly қолдамайды.',
    ru: 'Этот браузер не поддерживает WebAssembly.',
    en: 'This browser does not support WebAssembly.',
    ky: 'Бул браузер WebAssemblyни колдобойт.',
  },
};

/** Labels of the widget itself (export menu, table caption, screen-reader texts). */
export const UI = {
  export: { kk: 'Экспорт', ru: 'Экспорт', en: 'Export', ky: 'Экспорттоо' },
  png: { kk: 'PNG сурет (2×)', ru: 'Изображение PNG (2×)', en: 'PNG image (2×)', ky: 'PNG сүрөт (2×)' },
  svg: { kk: 'SVG сурет', ru: 'Изображение SVG', en: 'SVG image', ky: 'SVG сүрөт' },
  csv: { kk: 'CSV деректері', ru: 'Данные CSV', en: 'CSV data', ky: 'CSV маалыматтары' },
  table: { kk: 'Диаграмма деректері', ru: 'Данные диаграммы', en: 'Chart data', ky: 'Диаграмманын маалыматтары' },
  showTable: { kk: 'Кесте', ru: 'Таблица', en: 'Table', ky: 'Таблица' },
  details: { kk: 'Толығырақ', ru: 'Подробности', en: 'Details', ky: 'Кененирээк' },
  // The role description of the chart group (aria-roledescription), read before its name.
  chart: { kk: 'диаграмма', ru: 'диаграмма', en: 'chart', ky: 'диаграмма' },
  // Read by screen readers when the chart gets focus (aria-describedby of the canvas).
  keys: {
    kk: 'Нүктелер арасында көрсеткі пернелерімен жылжыңыз; Home және End — бірінші және соңғы нүкте; PageUp және PageDown — 10 нүкте; O — өз ұйымыңыз; Enter — таңдау; Escape — жабу.',
    ru: 'Перемещайтесь по точкам клавишами со стрелками; Home и End — первая и последняя точка; PageUp и PageDown — на 10 точек; O — своя организация; Enter — выбрать; Escape — закрыть.',
    en: 'Move between points with the arrow keys; Home and End for the first and last point; PageUp and PageDown by 10 points; O for your organisation; Enter to select; Escape to close.',
    ky: 'Чекиттердин ортосунда жебе баскычтары менен жылыңыз; Home жана End — биринчи жана акыркы чекит; PageUp жана PageDown — 10 чекитке; O — өз уюмуңуз; Enter — тандоо; Escape — жабуу.',
  },
  // Under a chart drawn from a dataset when its load rejected something (the list is
  // in the dataset's info(); `kpi validate` gives it for the same files).
  rejected: {
    kk: (t, r, c) => `Жүктелмеді: ${[t && `${t} кесте`, r && `${r} жол`, c && `${c} ұяшық`].filter(Boolean).join(', ')}.`,
    ru: (t, r, c) => `Не загружено: ${[t && `таблиц: ${t}`, r && `строк: ${r}`, c && `ячеек: ${c}`].filter(Boolean).join(', ')}.`,
    en: (t, r, c) => `Not loaded: ${[t && `${t} table${t === 1 ? '' : 's'}`, r && `${r} row${r === 1 ? '' : 's'}`, c && `${c} cell${c === 1 ? '' : 's'}`].filter(Boolean).join(', ')}.`,
    ky: (t, r, c) => `Жүктөлгөн жок: ${[t && `${t} таблица`, r && `${r} сап`, c && `${c} уяча`].filter(Boolean).join(', ')}.`,
  },
  // Under a chart of more points than it lists as buttons (MAX_POINT_BUTTONS in element.js);
  // also the chart group's description.
  capNote: {
    kk: (a, b, n) => `${n} нүкте: ${a}–${b} нүктелері түйме ретінде берілген; көрсеткі пернелері барлық нүктеге жеткізеді, «Кесте» барлығын көрсетеді.`,
    ru: (a, b, n) => `Точек: ${n}; кнопками перечислены точки ${a}–${b}; клавиши со стрелками ведут ко всем точкам, «Таблица» показывает все.`,
    en: (a, b, n) => `${n} points: points ${a}–${b} are listed as buttons; the arrow keys reach every point, and Table lists them all.`,
    ky: (a, b, n) => `${n} чекит: ${a}–${b} чекиттери баскыч катары берилген; жебе баскычтары бардык чекиттерге жеткирет, «Таблица» баарын көрсөтөт.`,
  },
  // The buttons before and after a window of point buttons (browse mode pages with them).
  showPoints: {
    kk: (a, b, n) => `${a}–${b} нүктелерін көрсету (барлығы ${n})`,
    ru: (a, b, n) => `Показать точки ${a}–${b} из ${n}`,
    en: (a, b, n) => `Show points ${a}–${b} of ${n}`,
    ky: (a, b, n) => `${a}–${b} чекиттерин көрсөтүү (баары ${n})`,
  },
  // Announced (politely) when the chart's data, year or language change.
  updated: { kk: 'Диаграмма жаңартылды', ru: 'Диаграмма обновлена', en: 'Chart updated', ky: 'Диаграмма жаңыртылды' },
};
