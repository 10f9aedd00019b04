import { Grid } from 'antd';
import type { BulletinDraft } from './types';

const FANGSONG = '"FangSong","仿宋","STFangsong","Noto Serif SC",serif';
const HEI = '"SimHei","黑体","Noto Sans SC",sans-serif';

/**
 * The 通报 as it reads once published (the public page and the .docx): the red head, the issue, the title, the
 * sections with their tables, the chart under the first section, the office's name at the end.
 */
export function BulletinPreview({ draft, chartSrc }: { draft: BulletinDraft; chartSrc: string | null }) {
  const phone = Grid.useBreakpoint().md === false;
  const cell = { border: '1px solid #888', padding: '2px 6px', fontSize: 13, lineHeight: 1.6 } as const;
  return (
    <article style={{ fontFamily: FANGSONG, lineHeight: 1.9, fontSize: phone ? 15 : 16, maxWidth: 820, margin: '0 auto', color: '#222' }}>
      <div style={{ color: '#c00000', textAlign: 'center', fontSize: phone ? 22 : 28, borderBottom: '2px solid #c00000', paddingBottom: 4 }}>
        {draft.office}
      </div>
      <p style={{ textAlign: 'center', margin: '4px 0' }}>{draft.issueLabel}</p>
      <h2 style={{ textAlign: 'center', fontSize: phone ? 19 : 22, margin: '8px 0', fontFamily: FANGSONG }}>{draft.title}</h2>
      {draft.subtitle && <p style={{ textAlign: 'center', margin: 0 }}>{draft.subtitle}</p>}
      {draft.recipients && <p style={{ margin: '8px 0 0' }}>{draft.recipients}：</p>}
      <p style={{ textIndent: '2em', margin: '4px 0' }}>{draft.intro}</p>
      {draft.sections.map((s, i) => (
        <section key={i}>
          <h3 style={{ fontFamily: HEI, fontSize: phone ? 16 : 17, margin: '12px 0 4px' }}>{s.heading}</h3>
          {s.blocks.map((b, j) =>
            b.type === 'paragraph' ? (
              <p key={j} style={{ textIndent: '2em', margin: '4px 0', whiteSpace: 'pre-wrap' }}>
                {b.text}
              </p>
            ) : (
              <div key={j} style={{ overflowX: 'auto', margin: '6px 0' }}>
                <table style={{ borderCollapse: 'collapse', width: '100%', minWidth: b.table.headers.length > 4 ? 560 : undefined }}>
                  <caption style={{ textAlign: 'left', fontWeight: 'bold', fontFamily: HEI, fontSize: 14 }}>{b.table.caption}</caption>
                  <thead>
                    <tr>
                      {b.table.headers.map((h, k) => (
                        <th key={k} style={{ ...cell, background: '#fafafa' }}>
                          {h}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {b.table.rows.map((r, k) => (
                      <tr key={k}>
                        {r.map((c, m) => (
                          <td key={m} style={cell}>
                            {c}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ),
          )}
          {i === 0 && chartSrc && (
            <img src={chartSrc} alt="各单位办结事项数图表" style={{ maxWidth: '100%', width: 640, display: 'block', margin: '8px auto' }} />
          )}
        </section>
      ))}
      <p style={{ textAlign: 'right', marginTop: 16 }}>{draft.office}</p>
    </article>
  );
}
