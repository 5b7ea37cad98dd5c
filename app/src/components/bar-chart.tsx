// A small SVG bar chart (no chart library: the explorer's first load stays light).
export interface Bar {
  label: string;
  value: number;
}

export function BarChart({
  bars,
  format,
  testId,
  label,
}: {
  bars: Bar[];
  format: (v: number) => string;
  testId: string;
  label: string;
}) {
  const W = 600;
  const H = 180;
  const pad = { top: 12, bottom: 28, left: 8, right: 8 };
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (W - pad.left - pad.right) / Math.max(1, bars.length);
  const bw = Math.max(2, Math.min(36, slot * 0.7));
  const every = Math.ceil(bars.length / 8); // at most ~8 axis labels
  return (
    <figure data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-44 w-full" role="img" aria-label={label}>
        <line x1={pad.left} x2={W - pad.right} y1={H - pad.bottom} y2={H - pad.bottom} className="stroke-white/15" />
        {bars.map((b, i) => {
          const h = ((H - pad.top - pad.bottom) * b.value) / max;
          const x = pad.left + i * slot + (slot - bw) / 2;
          return (
            <g key={b.label} data-testid={`${testId}-bar`} data-label={b.label} data-value={b.value}>
              <rect
                x={x}
                y={H - pad.bottom - h}
                width={bw}
                height={Math.max(h, b.value > 0 ? 1 : 0)}
                rx={3}
                className="fill-indigo-400/80 hover:fill-indigo-300"
              >
                <title>{`${b.label}: ${format(b.value)}`}</title>
              </rect>
              {i % every === 0 && (
                <text x={x + bw / 2} y={H - 10} textAnchor="middle" className="fill-slate-500 text-[10px]">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="sr-only">{label}</figcaption>
    </figure>
  );
}
