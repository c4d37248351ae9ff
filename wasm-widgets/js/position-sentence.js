// position-sentence.js: the sentence a `compare` (or `table`) chart drawn from a published
// bundle writes under its title: where the organisation stands among its peers, and for a
// rate its 95% interval against the peer median. The engine writes it with `kpi-summary`
// (`position_sentence`, `rate_sentence`), which the chart module does not carry; this is
// the same wording in kk, ru, en and ky, filled with numbers that `kpi publish` computed
// (rank, percentile, outlier flag, peer median and count, the Wilson interval).
// `tests/tests/bundle_reader.rs` checks that it equals the engine's sentence.

const LANGS = ['kk', 'ru', 'en', 'ky'];
/** The thousands separator of every language (a no-break space), as `kpi_summary::format_number`. */
const THOUSANDS = '\u00a0';

/** `x` with `decimals` decimals (half away from zero), thousands grouped, the language's
 *  decimal mark and a true minus sign: `kpi_summary::format_number`. */
export function formatNumber(x, decimals, lang) {
  if (!Number.isFinite(x)) return '—';
  const d = Math.min(decimals, 12);
  const scale = 10 ** d;
  const a = Math.abs(x);
  const scaled = a * scale;
  const rounded = scaled >= 4503599627370496 ? a : Math.round(scaled) / scale;
  const text = rounded.toFixed(d);
  const [int, frac] = text.split('.');
  const zero = /^[0.]*$/.test(text);
  let out = x < 0 && !zero ? '−' : '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) out += THOUSANDS;
    out += int[i];
  }
  if (frac !== undefined) out += (lang === 'en' ? '.' : ',') + frac;
  return out;
}

/** Russian noun form after a number: `kpi_summary`'s `ru_plural`. */
function ruPlural(x, one, few, many) {
  if (x % 1 !== 0) return few;
  const n = Math.abs(x) % 100;
  if (n >= 11 && n <= 14) return many;
  if (n % 10 === 1) return one;
  if (n % 10 >= 2 && n % 10 <= 4) return few;
  return many;
}

/** `1st`, `2nd`, `11th`. */
function enOrdinal(n) {
  const t = n % 100;
  const suffix = t >= 11 && t <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix ?? 'th'}`;
}

/** An indicator as the sentences name it: `kpi_summary::Subject` (name, unit code, decimals). */
class Subject {
  constructor(info) {
    this.label = info.label;
    this.unit = info.unit;
    this.decimals = info.decimals;
  }

  name(lang) {
    return this.label?.[lang] ?? this.label?.en ?? '';
  }

  percent() {
    return this.unit === '%';
  }

  value(x, lang) {
    const n = formatNumber(x, this.decimals, lang);
    if (this.percent()) return `${n}%`;
    const word = this.unitWord(Number(x.toFixed(Math.min(this.decimals, 12))), this.decimals > 0, lang);
    return word == null ? n : `${n} ${word}`;
  }

  difference(x, lang) {
    const a = Math.abs(x);
    if (this.percent()) {
      const n = formatNumber(a, this.decimals, lang);
      if (lang === 'kk' || lang === 'ru') return `${n} п.п.`;
      if (lang === 'ky') return `${n} пайыздык пункт`;
      return n === '1' ? `${n} percentage point` : `${n} percentage points`;
    }
    return this.value(a, lang);
  }

  unitWord(x, showsDecimals, lang) {
    const one = !showsDecimals && Math.abs(x) === 1;
    const y = showsDecimals ? Math.trunc(x) + 0.5 : x;
    switch (this.unit) {
      case 'ratio': case 'index': case 'count': case '0–1': case '0-1': case '': case undefined: case null:
        return null;
      case 'KZT': return { kk: 'теңге', ru: 'тенге', en: 'KZT', ky: 'теңге' }[lang];
      case 'persons':
        if (lang === 'ru') return ruPlural(y, 'человек', 'человека', 'человек');
        if (lang === 'en') return one ? 'person' : 'people';
        return 'адам';
      case 'points':
        if (lang === 'ru') return ruPlural(y, 'балл', 'балла', 'баллов');
        if (lang === 'en') return one ? 'point' : 'points';
        return 'балл';
      case 'm²': return lang === 'en' ? 'm²' : 'м²';
      default: return this.unit;
    }
  }
}

// Kyrgyz case endings after numbers and words (`kpi_summary`'s `ky::with_case`, dative
// only: the one case these sentences use).
const KY_UNITS = ['нөл', 'бир', 'эки', 'үч', 'төрт', 'беш', 'алты', 'жети', 'сегиз', 'тогуз'];
const KY_TENS = ['', 'он', 'жыйырма', 'отуз', 'кырк', 'элүү', 'алтымыш', 'жетимиш', 'сексен', 'токсон'];

function kyNumberWord(digits) {
  const [int, rawFrac = ''] = digits.split(/[,.]/);
  const frac = /^0*$/.test(rawFrac) ? '' : rawFrac;
  const read = [...(frac === '' ? int : frac)].filter((c) => c >= '0' && c <= '9').map(Number);
  let last = -1;
  for (let i = read.length - 1; i >= 0; i--) if (read[i] !== 0) { last = i; break; }
  if (last < 0) return KY_UNITS[0];
  const place = read.length - 1 - last;
  if (place === 0) return KY_UNITS[read[last]];
  if (place === 1) return KY_TENS[read[last]];
  if (place === 2) return 'жүз';
  if (place <= 5) return 'миң';
  if (place <= 8) return 'миллион';
  return 'миллиард';
}

function kySpokenTail(text) {
  const t = text.replace(/[.)» \u00a0]+$/u, '');
  if (t.endsWith('%')) return 'пайыз';
  if (text.endsWith('п.п.')) return 'пункт';
  if (t.endsWith('₸')) return 'теңге';
  if (t.endsWith('м²')) return 'метр';
  if (/[0-9]$/.test(t)) {
    const m = t.match(/[0-9,.\u00a0]*$/u);
    return kyNumberWord(m[0].replaceAll('\u00a0', ''));
  }
  const words = t.split(/[ \u00a0]/u);
  return words[words.length - 1];
}

function kyDative(text) {
  const tail = kySpokenTail(text);
  let harmony = 'backFlat';
  for (const c of [...tail].reverse()) {
    const l = c.toLowerCase();
    if ('аыя'.includes(l)) { harmony = 'backFlat'; break; }
    if ('оё'.includes(l)) { harmony = 'backRoundLow'; break; }
    if ('ую'.includes(l)) { harmony = 'backRoundHigh'; break; }
    if ('еэи'.includes(l)) { harmony = 'frontFlat'; break; }
    if ('өү'.includes(l)) { harmony = 'frontRound'; break; }
  }
  const low = { backFlat: 'а', backRoundHigh: 'а', backRoundLow: 'о', frontFlat: 'е', frontRound: 'ө' }[harmony];
  const end = [...tail].pop()?.toLowerCase() ?? '';
  const suffix = 'птксшчфхцщ'.includes(end) && end !== '' ? `к${low}` : `г${low}`;
  const last = [...text].pop() ?? ' ';
  const isWord = /\p{L}/u.test(last) && !text.endsWith('п.п.') && !text.endsWith('м²');
  return isWord ? `${text}${suffix}` : `${text}-${suffix}`;
}

function medianClause(s, median, gap, lang) {
  const m = s.value(median, lang);
  const level = /^[0,.]*$/.test(formatNumber(Math.abs(gap), s.decimals, lang));
  const d = s.difference(gap, lang);
  const better = gap > 0;
  switch (lang) {
    case 'en': return level ? `level with the peer median (${m})` : `${d} ${better ? 'better' : 'worse'} than the peer median (${m})`;
    case 'ru': return level ? `на уровне медианы группы (${m})` : `на ${d} ${better ? 'лучше' : 'хуже'} медианы группы (${m})`;
    case 'kk': return level ? `топ медианасы деңгейінде (${m})` : `топ медианасынан (${m}) ${d} ${better ? 'жақсы' : 'нашар'}`;
    default: return level ? `топтун медианасынын деңгээлинде (${m})` : `топтун медианасынан (${m}) ${kyDative(d)} ${better ? 'жакшы' : 'начар'}`;
  }
}

function range(s, a, b, lang) {
  return `${formatNumber(a, s.decimals, lang)}–${s.value(b, lang)}`;
}

function bandClause(s, min, max, x, lang) {
  const band = range(s, min, max, lang);
  if (x < min || x > max) {
    const d = s.difference(x < min ? min - x : x - max, lang);
    const above = x > max;
    switch (lang) {
      case 'en': return `${d} ${above ? 'above' : 'below'} the target band (${band})`;
      case 'ru': return `на ${d} ${above ? 'выше' : 'ниже'} целевого диапазона (${band})`;
      case 'kk': return `мақсатты аралықтан (${band}) ${d} ${above ? 'жоғары' : 'төмен'}`;
      default: return `максаттуу аралыктан (${band}) ${kyDative(d)} ${above ? 'жогору' : 'төмөн'}`;
    }
  }
  switch (lang) {
    case 'en': return `within the target band (${band})`;
    case 'ru': return `в пределах целевого диапазона (${band})`;
    case 'kk': return `мақсатты аралық ішінде (${band})`;
    default: return `максаттуу аралыктын ичинде (${band})`;
  }
}

/** The sentence of a unit's place among `n` peers: `kpi_summary::position_sentence`.
 *  `p`: `{value, rank, percentile (of the value, ascending), median, outlier}`. */
function positionSentence(s, direction, n, p, lang) {
  const name = s.name(lang);
  const value = s.value(p.value, lang);
  const r = p.rank;
  const pct = formatNumber(p.percentile, 0, lang);
  const head = {
    en: `${name}: ${value}, ranked ${enOrdinal(r)} of ${n} (percentile ${pct})`,
    ru: `${name}: ${value}, ${r}-е место из ${n} (процентиль ${pct})`,
    kk: `${name}: ${value}, ${n} ұйымның ішінде ${r}-орын (процентиль ${pct})`,
    ky: `${name}: ${value}, ${n} уюмдун ичинен ${r}-орун (процентиль ${pct})`,
  }[lang];
  let gap;
  if (direction?.kind === 'target') gap = bandClause(s, direction.min, direction.max, p.value, lang);
  else gap = medianClause(s, p.median, direction?.kind === 'lower' ? p.median - p.value : p.value - p.median, lang);
  const outlier = p.outlier ? { en: '; an outlier', ru: '; выброс', kk: '; ерекше мән', ky: '; өзгөчө маани' }[lang] : '';
  return `${head}, ${gap}${outlier}.`;
}

/** A rate with its 95% Wilson interval against the peer median: `kpi_summary::rate_sentence`.
 *  `r`: `{rate, successes, trials, lower, upper, median, verdict}`. */
function rateSentence(s, r, lang) {
  const name = s.name(lang);
  const rate = s.value(r.rate, lang);
  const [k, t] = [formatNumber(r.successes, 0, lang), formatNumber(r.trials, 0, lang)];
  const ci = `${formatNumber(r.lower, s.decimals, lang)}–${s.value(r.upper, lang)}`;
  const m = s.value(r.median, lang);
  const v = r.verdict;
  switch (lang) {
    case 'en': {
      const w = v === 'better' ? `significantly better than the peer median (${m})`
        : v === 'worse' ? `significantly worse than the peer median (${m})`
          : `not significantly different from the peer median (${m})`;
      return `${name}: ${rate} (${k} of ${t}; 95% interval ${ci}), ${w}.`;
    }
    case 'ru': {
      const w = v === 'better' ? `значимо лучше медианы группы (${m})`
        : v === 'worse' ? `значимо хуже медианы группы (${m})`
          : `значимо не отличается от медианы группы (${m})`;
      return `${name}: ${rate} (${k} из ${t}; 95%-й интервал ${ci}), ${w}.`;
    }
    case 'kk': {
      const w = v === 'better' ? `топ медианасынан (${m}) айтарлықтай жақсы`
        : v === 'worse' ? `топ медианасынан (${m}) айтарлықтай нашар`
          : `топ медианасынан (${m}) айтарлықтай айырмашылығы жоқ`;
      return `${name}: ${rate} (${t} ішінен ${k}; 95% аралық ${ci}), ${w}.`;
    }
    default: {
      const w = v === 'better' ? `топтун медианасынан (${m}) маанилүү түрдө жакшы`
        : v === 'worse' ? `топтун медианасынан (${m}) маанилүү түрдө начар`
          : `топтун медианасынан (${m}) маанилүү айырмасы жок`;
      return `${name}: ${rate} (${t} ичинен ${k}; 95% аралык ${ci}), ${w}.`;
    }
  }
}

/** The position sentence in every language, `{kk, ru, en, ky}`, as the engine's compare
 *  chart writes it: the place among `n` peers, then (`rate` given) the Wilson interval. */
export function peerSentence(info, n, position, rate) {
  const s = new Subject(info);
  return Object.fromEntries(LANGS.map((lang) => {
    const head = positionSentence(s, info.direction, n, position, lang);
    return [lang, rate ? `${head} ${rateSentence(s, rate, lang)}` : head];
  }));
}
