import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

export interface Bar {
  unitId: number;
  name: string;
  score: number;
  low: boolean;
}

/** The ranking as horizontal bars, first at the top, the lowest in red; `base` drawn as a line when given. */
export default function RankingChart({ bars, base, unit }: { bars: Bar[]; base: number | null; unit: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    const values = bars.map((b) => b.score);
    const min = Math.min(...values, base ?? Infinity);
    const max = Math.max(...values, base ?? -Infinity);
    const pad = Math.max(1, (max - min) * 0.15);
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 48, top: base !== null ? 24 : 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => `${v} ${unit}` },
      xAxis: { type: 'value', splitNumber: 4, min: base !== null ? Math.floor(min - pad) : undefined, max: base !== null ? Math.ceil(max + pad) : undefined },
      yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.name), axisLabel: { width: 96, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          data: bars.map((b) => ({ value: b.score, itemStyle: { color: b.low ? '#cf1322' : '#1677ff' } })),
          label: { show: true, position: 'right', formatter: '{c}' },
          markLine:
            base !== null
              ? {
                  symbol: 'none',
                  label: { formatter: `基准 ${base}`, position: 'start' },
                  lineStyle: { type: 'dashed', color: '#8c8c8c' },
                  data: [{ xAxis: base }],
                }
              : undefined,
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [bars, base, unit]);
  return <div ref={el} role="img" aria-label="积分排名图" style={{ width: '100%', height: 48 + Math.max(1, bars.length) * 34 }} />;
}
