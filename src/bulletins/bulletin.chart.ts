/**
 * B2: the bulletin's bar chart — drawn by ECharts' server-side SVG renderer (no DOM, no canvas), rasterised to PNG by
 * resvg for the .docx and the chat broadcast.
 *
 * resvg draws text only with fonts it has loaded, and it reads TrueType/OpenType (.ttf, .otf, .ttc) only: .woff/.woff2
 * load as 0 faces, so web-font packages (@fontsource/…, split into unicode-range woff2 slices) cannot serve. Without a
 * CJK font the Chinese labels come out as empty boxes. `findCjkFont` looks for one in the places below, the project's
 * own package first (same glyphs on every machine), then the usual Debian/Fedora/Arch system paths.
 */
import { existsSync } from 'fs';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';

interface FontCandidate {
  /** Absolute path, or a module path resolved from node_modules. */
  path: string;
  family: string;
  module?: boolean;
}

export const CJK_FONT_CANDIDATES: readonly FontCandidate[] = [
  // npm: @expo-google-fonts/noto-sans-sc (font OFL-1.1), the Regular face, 10.6 MB.
  { path: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf', family: 'Noto Sans SC', module: true },
  // Debian/Ubuntu fonts-noto-cjk; Fedora google-noto-sans-cjk; Arch noto-fonts-cjk.
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
  // Debian/Ubuntu fonts-wqy-microhei, fonts-wqy-zenhei.
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYi Micro Hei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYi Zen Hei' },
];

/** Every candidate family, so the SVG names whichever font is present; sans-serif last for the digits. */
export const CHART_FONT_FAMILY = [...new Set(CJK_FONT_CANDIDATES.map((c) => `'${c.family}'`)), 'sans-serif'].join(', ');

function locate(c: FontCandidate): string | null {
  if (!c.module) return existsSync(c.path) ? c.path : null;
  try {
    return require.resolve(c.path);
  } catch {
    return null;
  }
}

/** The first CJK font found (path and family), or null on a machine without one. */
export function findCjkFontFace(candidates: readonly FontCandidate[] = CJK_FONT_CANDIDATES): { path: string; family: string } | null {
  for (const c of candidates) {
    const path = locate(c);
    if (path) return { path, family: c.family };
  }
  return null;
}

/** Path of the first CJK font found, or null. */
export function findCjkFont(): string | null {
  return findCjkFontFace()?.path ?? null;
}

export interface ChartRow {
  name: string;
  value: number;
}

/**
 * Issue 14 (defect 3): the chart is printed across the 公文 type area (15.6 cm for 800 px): its type is set so that it
 * prints at 五号 or more — labels, values and the axis 20 px (≈ 11 pt), the title 26 px (≈ 14 pt).
 */
export const CHART_FONT_PX = { title: 26, label: 20, value: 20, axis: 20 };

/** A bar chart as an SVG string; labels rotate once there are more than six bars. */
export function renderChartSvg(rows: ChartRow[], opts: { title: string; width?: number; height?: number }): string {
  const width = opts.width ?? 800;
  const height = opts.height ?? 500;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT_FAMILY },
      title: { text: opts.title, left: 'center', top: 12, textStyle: { fontSize: CHART_FONT_PX.title, fontFamily: CHART_FONT_FAMILY } },
      grid: { left: 56, right: 24, top: 76, bottom: 48, outerBounds: { left: 8, right: 16, top: 8, bottom: 12 } },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.name),
        axisLabel: { interval: 0, rotate: rows.length > 5 ? 35 : 0, fontSize: CHART_FONT_PX.label, color: '#222' },
      },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: CHART_FONT_PX.axis, color: '#222' } },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => r.value),
          barMaxWidth: 56,
          itemStyle: { color: '#2f5597' },
          label: { show: true, position: 'top', fontSize: CHART_FONT_PX.value, color: '#222' },
        },
      ],
    });
    return staticSvg(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * ECharts adds :hover rules under class names numbered by a process-wide counter (zr0-cls-1, zr1-cls-3, …). A picture
 * has no hover, and the counter would make the same chart differ from one render to the next, so both go.
 */
function staticSvg(svg: string): string {
  return svg.replace(/ class="zr\d+-cls-\d+"/g, '').replace(/<style\b[^>]*>[\s\S]*?<\/style>\s*/g, '');
}

/** The SVG's own width (ECharts writes width="…" on the root element). */
function svgWidth(svg: string): number {
  const m = svg.match(/<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/);
  return m ? Number(m[1]) : 800;
}

/**
 * PNG at twice the SVG's width (sharp in print and on phones). `fontFiles` defaults to the CJK font findCjkFont
 * finds, which has the Latin digits too; system fonts are loaded only without one (or with fonts given), for the digits.
 * Issue 17: loading the machine's system fonts on every chart (190 of them here) cost ~300 ms and ~20 MiB of RSS for
 * the same pixels.
 */
export function svgToPng(svg: string, fontFiles?: string[]): Buffer {
  const found = fontFiles ? null : findCjkFontFace();
  const files = fontFiles ?? (found ? [found.path] : []);
  const resvg = new Resvg(svg, {
    font: { fontFiles: files, loadSystemFonts: !found, defaultFontFamily: found?.family ?? CJK_FONT_CANDIDATES[0].family },
    fitTo: { mode: 'width', value: svgWidth(svg) * 2 },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
