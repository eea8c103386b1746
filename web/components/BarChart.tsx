/**
 * A horizontal bar chart drawn on the server as SVG: no JavaScript, prints as
 * it shows, and every bar carries its number in text. The same numbers sit in
 * a table beside it, for screen readers and spreadsheets. A bar may be split
 * in parts (designated / not designated / pending), told apart by shade and
 * by the legend, not by colour alone.
 */

export interface Bar {
  label: string;
  /** The parts, in legend order; their sum is the bar's length. */
  parts: readonly number[];
}

const WIDTH = 640;
const LABEL = 220;
const ROW = 26;
const NUMBER = 70;
/** Dark to light: distinguishable in greyscale print. */
const SHADES = ["#1f4e79", "#6c9bc7", "#c9d9ea"];

export function BarChart(props: { title: string; bars: readonly Bar[]; legend?: readonly string[]; id: string }) {
  const { bars, legend } = props;
  const max = Math.max(1, ...bars.map((b) => b.parts.reduce((a, v) => a + v, 0)));
  const scale = (WIDTH - LABEL - NUMBER) / max;
  const height = bars.length * ROW + (legend ? ROW : 0) + 4;
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${props.id}-title`}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title>{props.title}</title>
        {bars.map((bar, row) => {
          let x = LABEL;
          const total = bar.parts.reduce((a, v) => a + v, 0);
          return (
            <g>
              <text x={LABEL - 6} y={row * ROW + 17} text-anchor="end" font-size="13">
                {bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label}
              </text>
              {bar.parts.map((value, i) => {
                const w = value * scale;
                const rect = (
                  <rect
                    x={x}
                    y={row * ROW + 4}
                    width={w}
                    height={ROW - 8}
                    fill={SHADES[i % SHADES.length]}
                    stroke="#1f4e79"
                  />
                );
                x += w;
                return rect;
              })}
              <text x={x + 6} y={row * ROW + 17} font-size="13">
                {total}
              </text>
            </g>
          );
        })}
        {legend ? (
          <g>
            {legend.map((name, i) => (
              <>
                <rect
                  x={LABEL + i * 140}
                  y={bars.length * ROW + 8}
                  width="12"
                  height="12"
                  fill={SHADES[i]}
                  stroke="#1f4e79"
                />
                <text x={LABEL + i * 140 + 18} y={bars.length * ROW + 19} font-size="12">
                  {name}
                </text>
              </>
            ))}
          </g>
        ) : null}
      </svg>
    </figure>
  );
}
