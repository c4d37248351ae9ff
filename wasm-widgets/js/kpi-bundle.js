// kpi-bundle.js: published bundles (`kpi publish`, docs/publishing.md) as a source of
// charts. A widget whose `src` names a bundle's manifest.json draws from the bundle's
// aggregate files with the chart module alone: no engine, no record-level file. The
// files are fetched as a chart needs them (the organisation's page, the catalogue, the
// peer quantiles of one indicator) and kept for the page's lifetime.
//
// Every number is computed by `kpi publish` (the engine's own code, on published values
// only); this module only puts the pieces of a chart input together.

import { jsError } from './errors.js';
import { peerSentence } from './position-sentence.js';

/** Bundle format and version read by this module. */
const FORMAT = 'kpi-bundle';
const VERSION = 4;

/** A name as one path segment, as `kpi_publish::path_key` writes it. */
export function pathKey(name) {
  let out = '';
  for (const b of new TextEncoder().encode(String(name))) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_-]/.test(c) ? c : `~${b.toString(16).padStart(2, '0')}`;
  }
  return out || '~';
}

/** Why a ranking row has no score. */
const NO_SCORE = {
  insufficient: { kk: 'деректер жеткіліксіз', ru: 'недостаточно данных', en: 'insufficient data', ky: 'маалымат жетишсиз' },
  withheld: { kk: 'балл көрсетілмейді (аз сандар)', ru: 'балл не показан (малые числа)', en: 'score withheld (small numbers)', ky: 'балл көрсөтүлгөн жок (аз сандар)' },
};

const academicYear = (y) => `${y}–${y + 1}`;

/** A reason as a chart shows it: a reason of its own (text in every language), or the
 *  code of one the catalogue writes once (`reasons`: suppression statuses, a withheld
 *  score). */
const reasonText = (cat, why) => (typeof why === 'string' ? (cat.reasons?.[why] ?? why) : (why ?? null));
const LANGS = ['kk', 'ru', 'en', 'ky'];
/** Labels with a suffix in every language (`{kk, ru, en}` → each + suffix). */
const suffixed = (labels, suffix) => Object.fromEntries(LANGS.map((l) => [l, `${labels?.[l] ?? ''}${suffix}`]));

/**
 * The peer group a request asks for, as `{ region }`: `null` for the level (the default),
 * else a region slug: the organisation's (`peers="region"`), or the one a group object
 * names (`{level, year, region}`, as the dashboard passes its filters). Other groups
 * (ownership, locality, a list) would need values a bundle does not publish.
 */
function peerScope(peers, page, regions) {
  if (peers && typeof peers === 'object') {
    if (peers.ownership || peers.locality || peers.orgs) {
      throw jsError('bad-argument', 'a published bundle has peer groups by level and by region only (not by ownership, locality or a list)');
    }
    if (!peers.region) return { region: null, name: null };
    const r = regions?.find((x) => x.slug === peers.region || x.name === peers.region);
    if (!r) throw jsError('not-found', `region ${peers.region}: not in this bundle`);
    return { region: r.slug, name: r.name };
  }
  const words = String(peers ?? '').split(/[|,\s]+/).filter(Boolean).map((w) => w.toLowerCase());
  if (words.length === 0 || (words.length === 1 && words[0] === 'level')) return { region: null, name: null };
  if (!words.every((w) => w === 'region' || w === 'level')) {
    throw jsError('bad-argument', `peers="${peers}": a published bundle has peer groups by level and by region only`);
  }
  if (!page) throw jsError('bad-argument', 'peers="region" needs an org');
  return { region: page.org.region_slug, name: page.org.region };
}

class KpiBundle {
  constructor(url) {
    this.url = url;
    this.base = new URL('.', url);
    this.name = url;
    this.files = new Map();
  }

  /** A file of the bundle as JSON; `optional` files that do not exist give null. */
  json(path, optional = false) {
    let p = this.files.get(path);
    if (!p) {
      const url = new URL(path, this.base);
      p = (async () => {
        let response;
        try {
          response = await fetch(url);
        } catch (e) {
          throw jsError('network', `${url}: ${e.message}`, e);
        }
        if (response.status === 404 && optional) return null;
        if (!response.ok) throw jsError(response.status === 404 ? 'not-found' : 'network', `${url}: HTTP ${response.status}`);
        try {
          return await response.json();
        } catch (e) {
          throw jsError('import', `${url}: not JSON (${e.message})`, e);
        }
      })();
      this.files.set(path, p);
      p.catch(() => this.files.delete(path));
    }
    return p;
  }

  async manifest() {
    const m = await this.json('manifest.json');
    if (m?.format !== FORMAT || m.version !== VERSION) {
      throw jsError('import', `${this.url}: not a ${FORMAT} version ${VERSION} manifest (format ${m?.format}, version ${m?.version})`);
    }
    return m;
  }

  catalogue() { return this.json('catalogue.json'); }

  /** The page file of an organisation. */
  async page(org) {
    if (!org) throw jsError('bad-argument', 'this chart needs an org');
    await this.manifest();
    const page = await this.json(`orgs/${pathKey(org)}.json`, true);
    if (!page) throw jsError('not-found', `org ${org}: not in this bundle`);
    return page;
  }

  /** The catalogue entry of an indicator. */
  async indicator(code) {
    if (!code) throw jsError('bad-argument', 'this chart needs an indicator');
    const info = (await this.catalogue()).indicators?.[code];
    if (!info) throw jsError('not-found', `indicator ${code}: not in the catalogue`);
    return info;
  }

  /** The page of a unit: the organisation's, or its programme's (`orgs/<org>/<programme>.json`). */
  async unitPage(org, programme) {
    const page = await this.page(org);
    if (!programme) return page;
    if (!(page.programmes ?? []).includes(programme)) throw jsError('not-found', `org ${org}: no programme ${programme} is published`);
    const p = await this.json(`orgs/${pathKey(org)}/${pathKey(programme)}.json`);
    return { ...page, units: p.units };
  }

  /** The unit of a page (the organisation, or one of its programmes) and its indicator. */
  static unitOf(page, programme, code) {
    const unit = page.units.find((u) => (u.programme ?? null) === (programme || null));
    if (!unit) throw jsError('not-found', `org ${page.org.id}: no programme ${programme}`);
    const entry = code === undefined ? undefined : unit.indicators[code];
    if (code !== undefined && !entry) {
      throw jsError('not-found', `indicator ${code}: no value of ${page.org.id}${programme ? ` · ${programme}` : ''} is published (it does not apply, or the bundle leaves it out)`);
    }
    return { unit, entry };
  }

  static unitName(page, programme) {
    return programme ? suffixed(page.org.names, ` · ${programme}`) : page.org.names;
  }

  /** The points of a unit's indicator (a page holds them by column over its years) as the
   *  trend chart takes them: a year without a value has its reason, the indicator's own or
   *  its status's. */
  static points(page, entry, cat) {
    return page.years.map((year, i) => {
      const p = { year, value: entry.value[i] ?? null };
      if (p.value == null) p.reason = reasonText(cat, entry.reason?.[i] ?? entry.status[i]);
      const signal = entry.signal?.[i];
      if (signal) p.signal = signal;
      return p;
    });
  }

  /** The peer quantiles of one indicator of a level, per year, in a scope. */
  async quantiles(level, code, scope, page) {
    const q = await this.json(`indicators/${level}/${code}.json`, true);
    if (!q) return null;
    const rows = scope.region ? q.regions?.[scope.region] : q.national;
    return { years: q.years, rows: rows ?? [] };
  }

  async peerLabel(level, year, scope) {
    const names = (await this.catalogue()).levels?.[level] ?? { kk: level, ru: level, en: level };
    const extra = scope.region && scope.name ? ` · ${scope.name}` : '';
    return suffixed(names, `${extra} · ${academicYear(year)}`);
  }

  /** The region tables (one year) and organisation lists a peer-group chart reads. */
  async regionTables(level, code, scope, page, year) {
    const m = await this.manifest();
    const lv = m.levels.find((l) => l.level === level);
    if (!lv) throw jsError('not-found', `level ${level}: not in this bundle`);
    if (code && !lv.indicators.includes(code)) throw jsError('not-found', `indicator ${code}: not published for ${level}`);
    const slugs = scope.region ? [scope.region] : lv.regions;
    const parts = await Promise.all(slugs.map(async (slug) => {
      const [table, orgs] = await Promise.all([
        code ? this.json(`indicators/${level}/${slug}/${year}/${code}.json`, true) : null,
        this.json(`organisations/${level}/${slug}.json`, true),
      ]);
      return { slug, table, orgs };
    }));
    const names = new Map();
    for (const p of parts) for (const o of p.orgs?.organisations ?? []) names.set(o.id, o.names);
    return { parts, names, year };
  }

  /** The tables of a peer chart's year: the request's, else the latest year in which a
   *  unit of the group has a published value (read back from the last year). */
  async peerTables(r, level, code, scope, page) {
    const { years } = await this.manifest();
    if (r.year !== undefined) {
      if (!years.includes(r.year)) throw jsError('not-found', `year ${r.year}: the bundle holds ${years[0]}–${years[years.length - 1]}`);
      return this.regionTables(level, code, scope, page, r.year);
    }
    let last = null;
    for (let i = years.length - 1; i >= 0; i--) {
      const t = await this.regionTables(level, code, scope, page, years[i]);
      last ??= t;
      if (KpiBundle.peerUnits(t, r.programme).some((u) => u.value != null)) return t;
    }
    return last;
  }

  /** The level and the scope of a peer chart, from the request's org or its `level`. */
  async group(r) {
    let page = null;
    if (r.org) page = await this.unitPage(r.org, r.programme);
    const scope = peerScope(r.peers, page, (await this.manifest()).regions);
    const level = page?.org.level ?? r.level ?? r.peers?.level;
    if (!level) throw jsError('bad-argument', 'this chart needs an org (or a level)');
    return { scope, page, level };
  }

  async chart(r) {
    switch (r.kind) {
      case 'kpi-card': return this.kpiCard(r);
      case 'trend': return this.trend(r);
      case 'compare': return this.compare(r);
      case 'distribution': return this.distribution(r);
      case 'scatter': return this.scatter(r);
      case 'heatmap': return this.heatmap(r);
      case 'risk-gauge': return this.risk(r, 'gauge');
      case 'risk-breakdown': return this.risk(r, 'breakdown');
      case 'radar': return this.radar(r);
      case 'table': return this.table(r);
      case 'gaps': return this.gaps(r);
      // `cohort-flow` reconstructs a cohort from the records by grade (docs/publishing.md).
      case 'cohort-flow':
        throw jsError('unknown-kind', 'kind="cohort-flow" cannot be drawn from a published bundle: it needs the reconstructed cohort (pupils by grade, repeaters, drop-outs), which a bundle does not publish; draw it from a dataset');
      default:
        throw jsError('unknown-kind', `kind="${r.kind}" cannot be drawn from a published bundle (it needs the record-level statistics of the engine)`);
    }
  }

  async kpiCard(r) {
    const page = await this.unitPage(r.org, r.programme);
    const scope = peerScope(r.peers, page, (await this.manifest()).regions);
    const [info, { entry }] = [await this.indicator(r.indicator), KpiBundle.unitOf(page, r.programme, r.indicator)];
    const all = KpiBundle.points(page, entry, await this.catalogue());
    const points = all.filter((p) => r.year === undefined || p.year <= r.year);
    if (points.length === 0) throw jsError('not-found', `${r.indicator}: no year up to ${r.year}`);
    const latest = [...points].reverse().find((p) => p.value != null);
    const shown = latest ?? points[points.length - 1];
    const yi = page.years.indexOf(shown.year);
    // The organisation's percentile in its own region, or nationally.
    const pct = scope.region ? (scope.region === page.org.region_slug ? entry.percentile_region : null) : entry.percentile;
    const q = r.programme ? null : await this.quantiles(page.org.level, r.indicator, scope, page);
    const peer = q?.rows[q.years.indexOf(shown.year)] ?? null;
    const previous = all.find((p) => p.year === shown.year - 1)?.value ?? null;
    // A later year without a value: the card shows the older one and says why.
    const last = points[points.length - 1];
    const unavailable = latest && last.year > latest.year ? { year: last.year, reason: last.reason ?? null } : null;
    return {
      kind: 'kpi-card',
      indicator: info,
      unit_name: KpiBundle.unitName(page, r.programme),
      org: page.org.id,
      programme: r.programme || null,
      year: shown.year,
      value: latest ? latest.value : null,
      reason: latest ? null : (shown.reason ?? null),
      previous,
      history: points.filter((p) => p.value != null).map((p) => ({ year: p.year, value: p.value })),
      peer_percentile: latest ? (pct?.[yi] ?? null) : null,
      peer_n: peer?.count ?? null,
      peer_median: peer?.median ?? null,
      unavailable,
    };
  }

  async trend(r) {
    const page = await this.unitPage(r.org, r.programme);
    const scope = peerScope(r.peers, page, (await this.manifest()).regions);
    const info = await this.indicator(r.indicator);
    const { entry } = KpiBundle.unitOf(page, r.programme, r.indicator);
    const q = r.programme ? null : await this.quantiles(page.org.level, r.indicator, scope, page);
    const points = KpiBundle.points(page, entry, await this.catalogue());
    const peers = [];
    for (const p of points) {
      const s = q?.rows[q.years.indexOf(p.year)];
      if (s) peers.push({ year: p.year, median: s.median, q1: s.p25, q3: s.p75, n: s.count });
    }
    return {
      kind: 'trend',
      points,
      trend: entry.line ?? [],
      forecast: entry.forecast ?? [],
      subtitle: entry.subtitle ?? null,
      tests: entry.tests,
      indicator: info,
      unit_name: KpiBundle.unitName(page, r.programme),
      org: page.org.id,
      programme: r.programme || null,
      peers,
    };
  }

  /** The units of a peer chart: rows of the region tables with names, for one programme or the organisations. */
  static peerUnits(tables, programme) {
    const out = [];
    for (const p of tables.parts) {
      // A table is by column: one list per field, one item per unit.
      const cols = p.table?.units;
      if (!cols) continue;
      for (let i = 0; i < cols.org.length; i++) {
        if ((cols.programme[i] ?? null) !== (programme || null)) continue;
        const u = {};
        for (const key of Object.keys(cols)) u[key] = cols[key][i];
        // A reason is an index into the table's texts.
        u.reason = u.reason == null ? null : (p.table.reasons?.[u.reason] ?? null);
        out.push(u);
      }
    }
    return out;
  }

  async compare(r) {
    if (r.indicator === 'risk_score') return this.compareRisk(r);
    const { scope, page, level } = await this.group(r);
    const info = await this.indicator(r.indicator);
    if (page) KpiBundle.unitOf(page, r.programme, r.indicator);
    const tables = await this.peerTables(r, level, r.indicator, scope, page);
    const { year } = tables;
    const q = r.programme ? null : await this.quantiles(level, r.indicator, scope, page);
    const cat = await this.catalogue();
    const bars = KpiBundle.compareBars(tables, page, cat, scope, r.programme);
    const stats = q?.rows[q.years.indexOf(year)] ?? null;
    return {
      kind: 'compare',
      indicator: info,
      year,
      bars,
      median: stats?.median ?? null,
      top: r.top ?? null,
      bottom: r.bottom ?? null,
      peer_group: await this.peerLabel(level, year, scope, scope),
      subtitle: r.programme ? null : KpiBundle.positionSentence(info, page, scope, year, stats, bars, tables),
    };
  }

  /** The bars of a compare chart: the group's units (of one programme, or the organisations),
   *  each with its value or the reason it has none, and a rate's Wilson interval and where it
   *  lies against the group's median. */
  static compareBars(tables, page, cat, scope, programme) {
    return KpiBundle.peerUnits(tables, programme).map((u) => {
      const verdict = scope.region ? u.significance_region : u.significance;
      return {
        ...KpiBundle.row(tables, u, page, u.programme ? `${u.org}/${u.programme}` : u.org),
        value: u.value ?? null,
        reason: KpiBundle.tableReason(cat, u),
        significance: verdict ? { lower: u.wilson_lower, upper: u.wilson_upper, verdict } : null,
      };
    });
  }

  /** Where the request's organisation stands among its peers, in words (the engine's
   *  compare sentence), from its page's rank, percentile and outlier flag in the year and
   *  the group's count and median: only for an organisation of the group with a published
   *  value, in a group with published statistics (at least k organisations). */
  static positionSentence(info, page, scope, year, stats, bars, tables) {
    if (!page || stats?.median == null || !stats.count) return null;
    const regional = Boolean(scope.region);
    if (regional && scope.region !== page.org.region_slug) return null;
    const entry = page.units.find((u) => u.programme == null)?.indicators[info.code];
    const bar = bars.find((b) => b.highlight && b.programme == null);
    const yi = page.years.indexOf(year);
    const col = (key) => entry?.[regional ? `${key}_region` : key]?.[yi] ?? null;
    const rank = col('rank');
    if (!entry || bar?.value == null || rank == null) return null;
    // The percentile of the value: the page's percentile in direction where higher is
    // better, 100 minus it where lower is, published apart for a target band.
    const kind = info.direction?.kind;
    const inDirection = col('percentile');
    const percentile = kind === 'target' ? col('value_percentile')
      : inDirection == null ? null : kind === 'lower' ? 100 - inDirection : inDirection;
    if (percentile == null) return null;
    const position = { value: bar.value, rank, percentile, median: stats.median, outlier: Boolean(col('outlier')) };
    // A rate's Wilson interval against the group's median, with the counts behind it.
    let rate = null;
    const u = KpiBundle.peerUnits(tables, null).find((x) => x.org === page.org.id);
    if (bar.significance && u?.n != null) {
      const factor = info.unit === '%' ? 100 : 1;
      rate = {
        rate: bar.value,
        successes: (bar.value * u.n) / factor,
        trials: u.n,
        lower: bar.significance.lower,
        upper: bar.significance.upper,
        median: stats.median,
        verdict: bar.significance.verdict,
      };
    }
    return peerSentence(info, stats.count, position, rate);
  }

  static nameOf(tables, u) {
    const names = tables.names.get(u.org) ?? u.org;
    return u.programme ? suffixed(names, ` · ${u.programme}`) : names;
  }

  /** What every row of a peer chart (a bar, a point, a heat map row) says of its unit:
   *  `id` (the organisation's, or `org/programme` where the chart keys programmes so),
   *  org, programme, name and whether it is the request's organisation. */
  static row(tables, u, page, id = u.org) {
    return {
      id,
      org: u.org,
      programme: u.programme ?? null,
      name: KpiBundle.nameOf(tables, u),
      highlight: u.org === page?.org.id,
    };
  }

  /** Why a unit of a region table has no value. */
  static tableReason(cat, u) {
    return u.value == null ? reasonText(cat, u.reason ?? u.status) : null;
  }

  /** Compare on the risk score: from the level's ranking file. */
  async compareRisk(r) {
    const { scope, page, level } = await this.group(r);
    const { years } = await this.manifest();
    const year = r.year ?? years[years.length - 1];
    const [ranking, tables] = await Promise.all([
      this.json(`risk/${level}/${year}.json`),
      this.regionTables(level, null, scope, page, year),
    ]);
    const bars = ranking.assessments
      .filter((a) => tables.names.has(a.org))
      .map((a) => ({
        id: a.org,
        org: a.org,
        name: tables.names.get(a.org),
        value: a.score ?? null,
        reason: a.score != null ? null : (a.degree === 'insufficient_data' ? NO_SCORE.insufficient : NO_SCORE.withheld),
        highlight: a.org === page?.org.id,
      }));
    return {
      kind: 'compare',
      indicator: {
        code: 'risk_score',
        label: { kk: 'Тәуекел балы', ru: 'Балл риска', en: 'Risk score', ky: 'Тобокелдик баллы' },
        unit: 'points',
        direction: { kind: 'lower' },
        decimals: 1,
      },
      year,
      bars,
      top: r.top ?? null,
      bottom: r.bottom ?? null,
      peer_group: await this.peerLabel(level, year, scope, scope),
      axis: { zero_baseline: true, min: 0, max: 100 },
    };
  }

  /** `table`: every unit of the peer group with its rank, percentile, z-score, robust z and
   *  outlier flag among the published values (region tables), best first. */
  async table(r) {
    if (r.indicator === 'risk_score') throw jsError('unknown-kind', 'kind="table" of the risk score cannot be drawn from a published bundle: it needs the z-scores of every risk score, which a bundle does not publish; draw it from a dataset (or draw compare)');
    if (r.programme) throw jsError('unknown-kind', 'kind="table" of a programme cannot be drawn from a published bundle: it needs the peer statistics (z-scores, ranks) of programmes, which a bundle does not publish (only organisations\'); draw it from a dataset');
    const { scope, page, level } = await this.group(r);
    const info = await this.indicator(r.indicator);
    if (page) KpiBundle.unitOf(page, r.programme, r.indicator);
    const tables = await this.peerTables(r, level, r.indicator, scope, page);
    const { year } = tables;
    const cat = await this.catalogue();
    const spec = cat.table;
    if (!spec) throw jsError('import', `${this.url}: the catalogue has no table columns`);
    // Each organisation's place (positions files, per region and year): among the level's or the
    // region's published values; the percentile of the value itself (`percentile` is in the
    // indicator's direction, which for "higher is better" is the same).
    const sfx = scope.region ? '_region' : '';
    const place = new Map();
    await Promise.all(tables.parts.map(async ({ slug }) => {
      const cols = (await this.json(`positions/${level}/${slug}/${year}/${r.indicator}.json`, true))?.units;
      if (!cols) return;
      cols.org.forEach((org, i) => place.set(org, Object.fromEntries(Object.keys(cols).map((k) => [k, cols[k][i]]))));
    }));
    const rows = KpiBundle.peerUnits(tables, null).map((u) => {
      const p = place.get(u.org) ?? {};
      return { u: { ...u, ...p, org: u.org }, rank: p[`rank${sfx}`] ?? null };
    });
    rows.sort((a, b) => (a.rank == null) - (b.rank == null) || (a.rank ?? 0) - (b.rank ?? 0)
      || (a.u.org < b.u.org ? -1 : a.u.org > b.u.org ? 1 : 0));
    const num = (v) => ({ value: v ?? null, text: null, reason: null });
    const columns = spec.columns.map((c) => (c.key === 'value'
      ? { ...c, label: info.label, unit: info.unit, decimals: info.decimals ?? null }
      : c));
    const none = Object.fromEntries(LANGS.map((l) => [l, '']));
    const cells = {
      rank: (u) => num(u[`rank${sfx}`]),
      org_id: (u) => ({ value: null, text: u.org, reason: null }),
      name: (u) => ({ value: null, text: KpiBundle.nameOf(tables, u), reason: null }),
      value: (u) => ({ value: u.value ?? null, text: null, reason: KpiBundle.tableReason(cat, u) }),
      percentile: (u) => num(u[`rank${sfx}`] == null ? null : (u[`value_percentile${sfx}`] ?? u[`percentile${sfx}`])),
      z: (u) => num(u[`z${sfx}`]),
      robust_z: (u) => num(u[`robust_z${sfx}`]),
      outlier: (u) => ({ value: null, text: u[`outlier${sfx}`] ? spec.outlier : none, reason: null }),
    };
    // As the engine's: where the request's organisation stands among its peers (the compare
    // chart's position sentence), else the sentence of the group's distribution.
    let caption = null;
    if (page) {
      const q = await this.quantiles(level, r.indicator, scope, page);
      const bars = KpiBundle.compareBars(tables, page, cat, scope, null);
      caption = KpiBundle.positionSentence(info, page, scope, year, q?.rows[q.years.indexOf(year)] ?? null, bars, tables);
    }
    if (!caption && scope.region) {
      caption = tables.parts[0]?.table?.sentence ?? await this.peerLabel(level, year, scope, scope);
    } else if (!caption) {
      const d = await this.json(`distributions/${level}/${r.indicator}.json`);
      caption = d.sentence[d.years.indexOf(year)] ?? await this.peerLabel(level, year, scope, scope);
    }
    return {
      kind: 'table',
      columns,
      rows: rows.map(({ u }) => columns.map((c) => (cells[c.key] ?? (() => num(null)))(u))),
      sort_by: null,
      descending: false,
      title: suffixed(Object.fromEntries(LANGS.map((l) => [l, info.label?.[l]?.trim() ? info.label[l] : info.code])), ` · ${academicYear(year)}`),
      caption,
    };
  }

  /** `gaps`: the indicator across groups of the level's organisations (by locality, ownership or
   *  region), computed at publishing from the published values only. */
  async gaps(r) {
    const by = r.by ?? 'locality';
    if (by === 'sex') throw jsError('unknown-kind', 'kind="gaps" by="sex" cannot be drawn from a published bundle: it needs each sex\'s value of every organisation, which a bundle does not publish; draw it from a dataset');
    if (!['locality', 'ownership', 'region'].includes(by)) throw jsError('bad-argument', `by="${by}": expected locality, ownership, region or sex`);
    let level = r.level ?? r.peers?.level ?? (typeof r.peers === 'string' ? r.peers.trim() : undefined);
    if (r.org) level = (await this.unitPage(r.org)).org.level;
    if (!level) throw jsError('bad-argument', '`gaps` needs an org or a level (peers="college")');
    await this.indicator(r.indicator);
    const m = await this.manifest();
    const lv = m.levels.find((l) => l.level === level);
    if (!lv) throw jsError('not-found', `level ${level}: not in this bundle`);
    if (!lv.indicators.includes(r.indicator)) throw jsError('not-found', `indicator ${r.indicator}: not published for ${level}`);
    const g = await this.json(`gaps/${level}/${r.indicator}.json`);
    let yi;
    if (r.year !== undefined) {
      yi = g.years.indexOf(r.year);
      if (yi < 0) throw jsError('not-found', `year ${r.year}: the bundle holds ${g.years[0]}–${g.years[g.years.length - 1]}`);
    } else {
      yi = g.with_value.findLastIndex((n) => n > 0);
      if (yi < 0) throw jsError('not-found', `${r.indicator}: no published value for ${level}`);
    }
    return { kind: 'gaps', ...g[by][yi] };
  }

  async distribution(r) {
    const { scope, page, level } = await this.group(r);
    const info = await this.indicator(r.indicator);
    const own = page ? KpiBundle.unitOf(page, r.programme, r.indicator).entry : null;
    let year; let values; let subtitle = null;
    if (!scope.region && !r.programme) {
      const d = await this.json(`distributions/${level}/${r.indicator}.json`);
      year = r.year ?? [...d.years].reverse().find((y) => d.values[d.years.indexOf(y)].length > 0) ?? d.years[d.years.length - 1];
      const yi = d.years.indexOf(year);
      if (yi < 0) throw jsError('not-found', `year ${year}: the bundle holds ${d.years[0]}–${d.years[d.years.length - 1]}`);
      values = d.values[yi];
      subtitle = d.sentence[yi] ?? null;
    } else {
      const tables = await this.peerTables(r, level, r.indicator, scope, page);
      year = tables.year;
      values = KpiBundle.peerUnits(tables, r.programme).map((u) => u.value).filter((v) => v != null);
      // The region's sentence (of its organisations' values).
      if (scope.region && !r.programme) subtitle = tables.parts[0]?.table?.sentence ?? null;
    }
    return {
      kind: 'distribution',
      indicator: info,
      year,
      values,
      unit_value: own?.value[page.years.indexOf(year)] ?? null,
      unit_name: page ? KpiBundle.unitName(page, r.programme) : '',
      org: page?.org.id ?? null,
      programme: r.programme || null,
      mode: 'auto',
      peer_group: await this.peerLabel(level, year, scope, scope),
      subtitle,
    };
  }

  async scatter(r) {
    const codes = [...new Set([r.indicator, ...(r.indicators ?? [])].filter(Boolean))];
    if (codes.length < 2) throw jsError('bad-argument', '`scatter` needs two indicators (indicators="x,y")');
    const { scope, page, level } = await this.group(r);
    const [x, y] = await Promise.all(codes.slice(0, 2).map((c) => this.indicator(c)));
    // The year: the request's, else the earlier of the two indicators' latest years.
    let year = r.year;
    if (year === undefined) {
      const latest = await Promise.all(codes.slice(0, 2).map((c) => this.peerTables(r, level, c, scope, page)));
      year = Math.min(latest[0].year, latest[1].year);
    }
    const [tx, ty] = await Promise.all(codes.slice(0, 2).map((c) => this.regionTables(level, c, scope, page, year)));
    const key = (u) => `${u.org}/${u.programme ?? ''}`;
    const ys = new Map(KpiBundle.peerUnits(ty, r.programme).map((u) => [key(u), u]));
    const points = KpiBundle.peerUnits(tx, r.programme).filter((u) => ys.has(key(u))).map((u) => ({
      ...KpiBundle.row(tx, u, page),
      x: u.value ?? null,
      y: ys.get(key(u)).value ?? null,
    }));
    return {
      kind: 'scatter',
      x,
      y,
      year,
      points,
      peer_group: await this.peerLabel(level, year, scope, scope),
    };
  }

  async heatmap(r) {
    const { scope, page, level } = await this.group(r);
    const m = await this.manifest();
    const cat = await this.catalogue();
    const lv = m.levels.find((l) => l.level === level);
    let codes = r.indicators?.length ? r.indicators : (lv?.heatmap?.length ? lv.heatmap : (lv?.indicators ?? []).slice(0, 8));
    codes = codes.filter((c) => lv?.indicators.includes(c));
    if (codes.length === 0) throw jsError('not-found', `no indicator of the request is published for ${level}`);
    const year = r.year ?? m.years[m.years.length - 1];
    const [tables, quantiles] = await Promise.all([
      Promise.all(codes.map((c) => this.regionTables(level, c, scope, page, year))),
      Promise.all(codes.map((c) => this.quantiles(level, c, scope, page))),
    ]);
    const rows = new Map();
    tables.forEach((t, ci) => {
      const q = quantiles[ci];
      const n = q?.rows[q.years.indexOf(year)]?.count ?? null;
      for (const u of KpiBundle.peerUnits(t, r.programme)) {
        const key = `${u.org}/${u.programme ?? ''}`;
        if (!rows.has(key)) {
          rows.set(key, {
            ...KpiBundle.row(t, u, page),
            cells: codes.map(() => ({ value: null, percentile: null, reason: null, n: null })),
          });
        }
        const pct = scope.region ? u.percentile_region : u.percentile;
        rows.get(key).cells[ci] = {
          value: u.value ?? null,
          percentile: u.value == null ? null : (pct ?? null),
          reason: KpiBundle.tableReason(cat, u),
          n,
        };
      }
    });
    return {
      kind: 'heatmap',
      columns: codes.map((c) => ({ indicator: cat.indicators[c] })),
      rows: [...rows.values()],
      year,
      subtitle: await this.peerLabel(level, year, scope, scope),
    };
  }

  async risk(r, part) {
    const page = await this.page(r.org);
    const cat = await this.catalogue();
    // By column: one item per assessed year.
    const risk = page.risk;
    if (!risk?.year.length) throw jsError('not-found', `no risk assessment of ${page.org.id} is published`);
    let i = r.year !== undefined ? risk.year.indexOf(r.year) : risk.score.findLastIndex((s) => s != null);
    if (r.year === undefined && i < 0) i = risk.year.length - 1;
    if (i < 0) throw jsError('not-found', `no risk assessment of ${page.org.id} in ${r.year}`);
    const score = risk.score[i] ?? null;
    const common = { unit_name: page.org.names, org: page.org.id, year: risk.year[i] };
    if (part === 'gauge') {
      return {
        kind: 'risk-gauge',
        ...common,
        score,
        degree: risk.degree[i] ?? null,
        low_max: cat.risk.low_max,
        medium_max: cat.risk.medium_max,
        weight_coverage: risk.weight_coverage[i] ?? null,
        previous_score: risk.previous_score[i] ?? null,
        rising: Boolean(risk.rising?.[i]),
        reason: reasonText(cat, risk.reason?.[i]),
      };
    }
    const names = cat.criteria?.[page.org.level] ?? {};
    const at = (column) => column?.[i] ?? null;
    return {
      kind: 'risk-breakdown',
      ...common,
      // The year's criteria in the breakdown's order.
      criteria: risk.order[i].map((ci) => {
        const c = risk.criteria[ci];
        const about = names[c.code] ?? {};
        return {
          code: c.code,
          label: about.labels ?? c.code,
          contribution: at(c.contribution),
          weight: about.weight ?? null,
          criterion_score: at(c.criterion_score),
          measure: {
            value: at(c.value),
            unit: about.unit,
            decimals: about.decimals,
            band: Boolean(about.band),
            warn: at(c.warn),
            critical: at(c.critical),
            gap_median: at(c.gap_median),
            warn_from_gap: Boolean(at(c.warn_from_gap)),
            critical_from_gap: Boolean(at(c.critical_from_gap)),
          },
          reason: reasonText(cat, at(c.reason)),
          // Flags only where set, as the engine writes them.
          gross: about.gross || undefined,
          crossed: at(c.crossed) || undefined,
        };
      }),
      score,
      degree: risk.degree[i] ?? null,
    };
  }

  async radar(r) {
    const page = await this.page(r.org);
    if (r.programme) throw jsError('not-found', 'the radar of a programme is not published');
    const cat = await this.catalogue();
    const years = page.radar ?? [];
    const y = r.year !== undefined ? years.find((a) => a.year === r.year) : years[years.length - 1];
    if (!y) throw jsError('not-found', `no indicator of ${page.org.id} is published${r.year ? ` for ${r.year}` : ''}`);
    return {
      kind: 'radar',
      families: y.families.map((f) => ({
        family: f.family,
        label: cat.families?.[f.family] ?? null,
        score: f.score ?? null,
        peer_median: f.peer_median ?? null,
        reason: f.score == null ? `no ${f.family} indicator computable in ${y.year}` : null,
        indicators: f.indicators ?? 0,
      })),
      unit_name: page.org.names,
      org: page.org.id,
      programme: null,
      year: y.year,
      peer_n: y.peer_n,
    };
  }

  /**
   * What the bundle holds, in the shape of a dataset's `info()` (for the dashboard):
   * years, levels with their counts, regions (`key` is the slug), indicators with their
   * levels; no organisation list (the ranking brings the names of the level it shows).
   */
  async info() {
    const [m, cat] = await Promise.all([this.manifest(), this.catalogue()]);
    return {
      bundle: true,
      created: m.created,
      suppression: m.suppression,
      years: m.years,
      levels: m.levels.map((l) => ({ code: l.level, count: l.organisations })),
      regions: m.regions.map((r) => ({ key: r.slug, name: r.name })),
      indicators: Object.values(cat.indicators).map((i) => ({
        code: i.code,
        labels: i.label,
        unit: i.unit,
        family: i.family,
        levels: m.levels.filter((l) => l.indicators.includes(i.code)).map((l) => l.level),
      })),
      organisations: [],
      issues: [],
      issue_count: 0,
      rejected: { tables: 0, rows: 0, cells: 0 },
    };
  }

  /**
   * The published risk ranking of a peer group (`{level, year, region}`), in the shape of
   * a dataset's `ranking()`: highest score first, withheld and insufficient ones last.
   */
  async ranking(spec = {}) {
    const m = await this.manifest();
    const level = spec.level ?? m.levels[0]?.level;
    const year = spec.year ?? m.years[m.years.length - 1];
    const scope = peerScope(spec, null, m.regions);
    const [ranking, tables, cat] = await Promise.all([
      this.json(`risk/${level}/${year}.json`, true),
      this.regionTables(level, null, scope, null, year),
      this.catalogue(),
    ]);
    const region = new Map();
    for (const p of tables.parts) for (const o of p.orgs?.organisations ?? []) region.set(o.id, p.orgs.region);
    const criteria = cat.criteria?.[level] ?? {};
    const rows = (ranking?.assessments ?? [])
      .filter((a) => tables.names.has(a.org))
      .map((a) => ({
        org_id: a.org,
        name: tables.names.get(a.org)?.en ?? a.org,
        names: tables.names.get(a.org),
        region: region.get(a.org) ?? '',
        region_name: region.get(a.org) ?? '',
        level,
        year,
        score: a.score ?? null,
        degree: a.degree,
        computable_weight_share: a.computable_weight_share,
        top_criterion: a.top_criterion ?? null,
        top_criterion_label: a.top_criterion ? (criteria[a.top_criterion]?.labels ?? null) : null,
      }));
    const insufficient = (r) => (r.degree === 'insufficient_data' ? 1 : 0);
    rows.sort((a, b) => insufficient(a) - insufficient(b) || (b.score ?? -1) - (a.score ?? -1) || (a.org_id < b.org_id ? -1 : a.org_id > b.org_id ? 1 : 0));
    rows.forEach((r, i) => { r.rank = i + 1; });
    return rows;
  }

  /** Nothing is rejected: the bundle holds what publishing accepted. */
  async rejected() { return null; }

  // A handle accepted by render({dataset}) like a loaded dataset.
  async _handle() { await this.manifest(); return this; }

  dispose() { this.files.clear(); }
}

const bundles = new Map();

/** The bundle of a manifest URL (one per URL per page). */
export function bundleFor(src) {
  const url = new URL(String(src).trim(), document.baseURI).href;
  let b = bundles.get(url);
  if (!b) {
    b = new KpiBundle(url);
    bundles.set(url, b);
  }
  return b;
}

/** Opens a bundle and checks its manifest. */
export async function loadBundle(src) {
  const b = bundleFor(src);
  await b.manifest();
  return b;
}

/** Forgets every bundle's files. */
export function disposeAll() {
  for (const b of bundles.values()) b.dispose();
  bundles.clear();
}
