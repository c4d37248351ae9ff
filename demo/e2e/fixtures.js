// Chart input used by the end-to-end page and the benchmark: deterministic, realistic
// values (percentages of graduates employed within a year), Kazakh/Russian names, a gap
// year, a not-computable year, and hostile names that must stay text.

export const EMPLOYMENT = {
  code: 'employment_rate',
  label: { kk: 'Түлектерді жұмысқа орналастыру', ru: 'Трудоустройство выпускников', en: 'Graduate employment rate' },
  unit: '%',
  direction: { kind: 'higher' },
  formula: 'employed_graduates / graduates × 100',
};

/** A deterministic pseudo-random sequence (LCG), so every run draws the same data. */
export function rng(seed = 7) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function trendData() {
  // 2020 is absent (a gap); 2022 is present but not computable.
  const values = { 2016: 61.2, 2017: 63.8, 2018: 64.1, 2019: 66.9, 2021: 68.4, 2022: null, 2023: 71.6, 2024: 73.2 };
  const points = Object.entries(values).map(([y, v]) => ({
    year: Number(y),
    value: v,
    reason: v === null ? 'graduates = 0: the denominator is zero' : undefined,
    warnings: Number(y) === 2019 ? ['graduates: value corrected by the college'] : [],
    signal: Number(y) === 2024 ? { assessment: 'better', text: { kk: 'Соңғы 3 жыл өсу', ru: 'Рост 3 года подряд', en: 'Up three years running' } } : undefined,
  }));
  const peers = [];
  for (let y = 2016; y <= 2024; y++) {
    const m = 58 + (y - 2016) * 1.4;
    peers.push({ year: y, median: m, q1: m - 7.5, q3: m + 6.8, n: 128 + (y - 2016) * 3 });
  }
  return {
    indicator: EMPLOYMENT,
    unit_name: { kk: '№1 Алматы политехникалық колледжі', ru: 'Алматинский политехнический колледж №1', en: 'Almaty Polytechnic College No. 1' },
    org: '091140000123',
    points,
    trend: [{ year: 2016, value: 61.0 }, { year: 2024, value: 73.5 }],
    forecast: [
      { year: 2025, value: 74.9, lower: 70.1, upper: 79.7 },
      { year: 2026, value: 76.4, lower: 70.2, upper: 82.6 },
    ],
    peers,
  };
}

const KK_NAMES = ['Алматы', 'Астана', 'Шымкент', 'Қарағанды', 'Ақтөбе', 'Павлодар', 'Семей', 'Өскемен', 'Тараз', 'Қостанай',
  'Атырау', 'Орал', 'Петропавл', 'Ақтау', 'Түркістан', 'Қызылорда', 'Талдықорған', 'Көкшетау', 'Жезқазған', 'Екібастұз'];

export function compareData(n = 36, { hostile = true, top, bottom } = {}) {
  const r = rng(11);
  const bars = [];
  for (let i = 0; i < n; i++) {
    const city = KK_NAMES[i % KK_NAMES.length];
    const id = String(91140000100 + i).padStart(12, '0');
    bars.push({
      id,
      org: id,
      name: { kk: `${city} жоғары колледжі №${i + 1}`, ru: `Высший колледж г. ${city} №${i + 1}`, en: `${city} Higher College No. ${i + 1}` },
      value: i === 5 ? null : Math.round((45 + r() * 45) * 10) / 10,
      reason: i === 5 ? 'graduates = 0: the denominator is zero' : undefined,
      highlight: i === 3,
    });
  }
  if (hostile && n > 10) {
    bars[7].name = '<img src=x onerror="window.__xss=1">';
    bars[8].name = '<script>window.__xss=1</script>';
  }
  return {
    indicator: EMPLOYMENT,
    year: 2023,
    bars,
    peer_group: { kk: 'Алматы облысының колледждері', ru: 'Колледжи Алматинской области', en: 'Colleges of Almaty region' },
    top,
    bottom,
  };
}
