// Hand-written SVG bar charts: horizontal bars, stacked when there is more than one series. Each chart is an
// image with a title and a description for screen readers, every segment carries its exact figure in a
// <title> (the hover tooltip), and each row ends in its figure in text, so nothing needs the colours to read.
import { useId, useLayoutEffect, useRef, useState, type RefObject } from 'react';

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface BarRow {
  /** the row's name, left of its bar */
  label: string;
  /** one value per series, in the series' order */
  values: number[];
  /** the text after the bar; the formatted total when absent */
  note?: string;
}

export interface BarChartProps {
  title: string;
  /** what the chart shows, in one sentence, for screen readers */
  description: string;
  series: Series[];
  rows: BarRow[];
  /** how a value reads (dollars from cents, a percentage) */
  format(value: number): string;
  /** the scale's maximum; the largest row total when absent */
  max?: number;
  /** at most this much room for row labels; less when the labels are short */
  labelWidth?: number;
  noteWidth?: number;
  /** the widest the chart grows; it is drawn at the width it gets, so its text stays at 12px */
  maxWidth?: number;
  className?: string;
}

/** about how wide a character of 12px text is, for laying out labels without measuring them */
const CHAR_WIDTH = 6.6;
const ROW_HEIGHT = 26;
const BAR_HEIGHT = 16;
const LEGEND_HEIGHT = 24;
const PAD = 6;

export function BarChart({
  title,
  description,
  series,
  rows,
  format,
  max,
  labelWidth: labelRoom = 130,
  noteWidth = 150,
  maxWidth = 760,
  className,
}: BarChartProps) {
  const id = useId();
  const [figureRef, available] = useWidth<HTMLElement>(maxWidth);
  const width = Math.max(320, Math.min(maxWidth, available));
  const labelWidth = Math.min(labelRoom, Math.max(...rows.map((r) => r.label.length * CHAR_WIDTH), 40) + 4);
  const stacked = series.length > 1;
  const legend = stacked ? legendPositions(series, width) : [];
  const top = stacked ? Math.max(...legend.map((l) => l.y)) + LEGEND_HEIGHT + PAD : PAD;
  const height = top + Math.max(rows.length, 1) * ROW_HEIGHT + PAD;
  const barLeft = labelWidth + 8;
  const barSpace = width - barLeft - noteWidth - 8;
  const totals = rows.map((r) => r.values.reduce((a, b) => a + b, 0));
  const scaleMax = Math.max(max ?? 0, ...totals, 0);
  const scale = (v: number) => (scaleMax > 0 ? (v / scaleMax) * barSpace : 0);

  return (
    <figure ref={figureRef} className={`sv-chart ${className ?? ''}`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>
          {description} {rows.map((r, i) => `${r.label}: ${r.note ?? format(totals[i])}`).join('; ')}
        </desc>
        {stacked && (
          <g className="sv-legend" aria-hidden="true">
            {legend.map(({ s, x, y }) => (
              <g key={s.key} transform={`translate(${x}, ${y + 4})`}>
                <rect width="12" height="12" rx="2" fill={s.color} />
                <text x="17" y="10.5">
                  {s.label}
                </text>
              </g>
            ))}
          </g>
        )}
        {scaleMax > 0 && <line className="sv-axis" x1={barLeft} x2={barLeft} y1={top - 2} y2={height - PAD + 2} aria-hidden="true" />}
        {rows.map((row, i) => {
          const y = top + i * ROW_HEIGHT;
          let x = barLeft;
          return (
            <g key={`${row.label}-${i}`}>
              <text className="sv-row-label" x={labelWidth} y={y + ROW_HEIGHT / 2 + 4} textAnchor="end">
                {clip(row.label, Math.floor(labelWidth / CHAR_WIDTH))}
                <title>{row.label}</title>
              </text>
              {row.values.map((v, j) => {
                const w = scale(v);
                const rect =
                  w > 0 ? (
                    <rect
                      key={series[j].key}
                      x={x}
                      y={y + (ROW_HEIGHT - BAR_HEIGHT) / 2}
                      width={Math.max(w, 1.5)}
                      height={BAR_HEIGHT}
                      fill={series[j].color}
                    >
                      <title>{`${row.label}${stacked ? `, ${series[j].label}` : ''}: ${format(v)}`}</title>
                    </rect>
                  ) : null;
                x += w;
                return rect;
              })}
              <text className="sv-row-note" x={x + 6} y={y + ROW_HEIGHT / 2 + 4}>
                {row.note ?? format(totals[i])}
              </text>
            </g>
          );
        })}
        {rows.length === 0 && (
          <text className="sv-row-note" x={barLeft} y={top + ROW_HEIGHT / 2 + 4}>
            nothing to show
          </text>
        )}
      </svg>
    </figure>
  );
}

/** Legend entries side by side, each as wide as its label needs, on as many lines as the width takes. */
function legendPositions(series: Series[], width: number) {
  let x = 0;
  let y = 0;
  return series.map((s) => {
    const w = 17 + s.label.length * CHAR_WIDTH + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      y += LEGEND_HEIGHT - 6;
    }
    const at = { s, x, y };
    x += w;
    return at;
  });
}

/** The width an element is laid out at, followed as it changes. */
function useWidth<T extends Element>(initial: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(initial);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.getBoundingClientRect().width) || initial);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width) || initial));
    observer.observe(el);
    return () => observer.disconnect();
  }, [initial]);
  return [ref, width];
}

function clip(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/** One horizontal gauge: a rate between 0 and 1 as a filled bar with its percentage, for single measures. */
export function RateBar({ label, rate, text, color = '#2e7d32' }: { label: string; rate: number | null; text: string; color?: string }) {
  const id = useId();
  const w = 200;
  const filled = rate === null ? 0 : Math.max(0, Math.min(1, rate)) * w;
  return (
    <svg role="img" aria-labelledby={id} viewBox={`0 0 ${w} 12`} width={w} height={12} className="sv-gauge">
      <title id={id}>{`${label}: ${text}`}</title>
      <rect width={w} height="12" rx="3" className="sv-gauge-track" />
      {filled > 0 && <rect width={filled} height="12" rx="3" fill={color} />}
    </svg>
  );
}
