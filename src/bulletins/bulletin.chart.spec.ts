import { existsSync } from 'fs';
import { CHART_FONT_FAMILY, findCjkFont, findCjkFontFace, renderChartSvg, svgToPng } from './bulletin.chart';

const rows = [
  { name: '市财政局', value: 3 },
  { name: '市交通运输局', value: 5 },
  { name: '市住建局', value: 0 },
];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const pngWidth = (png: Buffer) => png.readUInt32BE(16);
const pngHeight = (png: Buffer) => png.readUInt32BE(20);

describe('B2 bulletin chart', () => {
  const svg = renderChartSvg(rows, { title: '各单位按期办结情况', width: 600, height: 300 });

  it('renders a bar chart to SVG with the title, every unit name and every value', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/<svg[^>]* width="600" height="300"/);
    expect(svg).toContain('>各单位按期办结情况</text>');
    for (const r of rows) expect(svg).toContain(`>${r.name}</text>`);
    for (const v of ['3', '5', '0']) expect(svg).toContain(`>${v}</text>`);
    expect(svg.match(/ecmeta_ssr_type="chart"/g)).toHaveLength(rows.length); // one bar per row
  });

  it('names the CJK font families so whichever is installed draws the labels', () => {
    expect(CHART_FONT_FAMILY).toContain("'Noto Sans SC'");
    expect(CHART_FONT_FAMILY.endsWith('sans-serif')).toBe(true);
    expect(svg).toContain("font-family:'Noto Sans SC'");
  });

  it('drops ECharts’ hover classes and <style>: a picture has no hover, and their counter changes per render', () => {
    expect(svg).not.toMatch(/class="zr/);
    expect(svg).not.toContain('<style');
  });

  it('is deterministic and defaults to 800×500', () => {
    expect(renderChartSvg(rows, { title: '各单位按期办结情况', width: 600, height: 300 })).toBe(svg);
    expect(renderChartSvg(rows, { title: 't' })).toMatch(/<svg[^>]* width="800" height="500"/);
  });

  it('rasterises to a PNG twice the SVG width, same aspect ratio', () => {
    const png = svgToPng(svg);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngWidth(png)).toBe(1200);
    expect(pngHeight(png)).toBe(600);
  });

  it('explicit font files are used as given (a missing one is not fatal)', () => {
    const png = svgToPng(svg, ['/nonexistent/font.ttf']);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('findCjkFont returns null or a font file that exists (no CJK font is installed on a bare machine)', () => {
    const found = findCjkFont();
    if (found === null) {
      expect(findCjkFontFace()).toBeNull();
      return;
    }
    expect(existsSync(found)).toBe(true);
    expect(found).toMatch(/\.(ttf|otf|ttc)$/);
  });

  it('findCjkFontFace takes the first candidate that exists, with its family', () => {
    const here = __filename;
    expect(
      findCjkFontFace([
        { path: '/nonexistent/a.ttc', family: 'A' },
        { path: here, family: 'B' },
      ]),
    ).toEqual({ path: here, family: 'B' });
    expect(findCjkFontFace([{ path: 'no-such-package/font.ttf', family: 'C', module: true }])).toBeNull();
    expect(findCjkFontFace([{ path: 'jest/package.json', family: 'D', module: true }])?.family).toBe('D');
  });

  it('with a CJK font found, the Chinese title is drawn (more ink than with no font at all)', () => {
    const face = findCjkFontFace();
    if (!face) return; // nothing to compare on a machine without one; see findCjkFont above
    const title =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="30" font-size="28" font-family="' +
      face.family +
      '">督查通报</text></svg>';
    const { Resvg } = jest.requireActual<typeof import('@resvg/resvg-js')>('@resvg/resvg-js');
    const ink = (files: string[]) => {
      const px = new Resvg(title, { font: { fontFiles: files, loadSystemFonts: false, defaultFontFamily: face.family } }).render().pixels;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n;
    };
    expect(ink([face.path])).toBeGreaterThan(ink([]));
  });

  it('with a CJK font found, the chart is the same PNG without the system fonts loaded (Chinese labels and digits)', () => {
    const face = findCjkFontFace();
    if (!face) return; // without one, svgToPng loads the system fonts as before
    const { Resvg } = jest.requireActual<typeof import('@resvg/resvg-js')>('@resvg/resvg-js');
    const chart = renderChartSvg(
      Array.from({ length: 15 }, (_, i) => ({ name: `第${i + 1}承办单位（市发展改革委）`, value: 1234 - i * 67 })),
      { title: '2026年3月各单位办结事项数' },
    );
    const withSystemFonts = new Resvg(chart, {
      font: { fontFiles: [face.path], loadSystemFonts: true, defaultFontFamily: face.family },
      fitTo: { mode: 'width', value: 1600 },
      logLevel: 'off',
    })
      .render()
      .asPng();
    expect(svgToPng(chart).equals(withSystemFonts)).toBe(true);
  });
});
