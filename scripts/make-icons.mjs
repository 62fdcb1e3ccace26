// Draws the app's icons: assets/icon.svg -> assets/icon.png (512 px), and one tray image per contribution state,
// assets/tray/<state>.svg -> <state>.png (16 px) and <state>@2x.png (32 px). The PNGs are committed; run this
// after changing a design: `node scripts/make-icons.mjs` (needs ImageMagick's `convert`, or set CONVERT to it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const assets = new URL('../assets/', import.meta.url).pathname;
const convert = process.env.CONVERT || 'convert';

/** The app icon: a peer (the centre) linked to six others on a ring, on a dark rounded square. */
function appIcon() {
  const c = 256;
  const ring = 150;
  const outer = Array.from({ length: 6 }, (_, i) => {
    const a = (Math.PI / 3) * i - Math.PI / 2;
    return [c + ring * Math.cos(a), c + ring * Math.sin(a)].map((v) => v.toFixed(1));
  });
  const spokes = outer.map(([x, y]) => `<line x1="${c}" y1="${c}" x2="${x}" y2="${y}"/>`).join('');
  const rim = `<polygon points="${outer.map((p) => p.join(',')).join(' ')}" fill="none"/>`;
  const nodes = outer.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="32"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#13263d"/>
      <stop offset="1" stop-color="#0a131f"/>
    </linearGradient>
  </defs>
  <rect x="16" y="16" width="480" height="480" rx="108" fill="url(#bg)"/>
  <g stroke="#38d9a9" stroke-width="14" stroke-linecap="round" opacity="0.75">${spokes}${rim}</g>
  <g fill="#e6fcf5" stroke="#38d9a9" stroke-width="10">${nodes}</g>
  <circle cx="${c}" cy="${c}" r="58" fill="#38d9a9"/>
  <circle cx="${c}" cy="${c}" r="24" fill="#0a131f"/>
</svg>
`;
}

/** The tray's states: a disc in the state's colour with a white sign, readable at 16 px. */
const TRAY = {
  contributing: { color: '#2f9e44', sign: '<path d="M12.5 9.5 L23 16 L12.5 22.5 Z" fill="#fff" stroke="none"/>' },
  throttled: {
    color: '#e67700',
    sign: '<path d="M12.5 10 L22 16 L12.5 22 Z" fill="none" stroke="#fff" stroke-width="2.4" stroke-linejoin="round"/>',
  },
  paused: {
    color: '#868e96',
    sign: '<rect x="11" y="9.5" width="3.6" height="13" rx="1" fill="#fff" stroke="none"/><rect x="17.4" y="9.5" width="3.6" height="13" rx="1" fill="#fff" stroke="none"/>',
  },
  waiting: {
    color: '#1c7ed6',
    sign: '<circle cx="16" cy="16" r="7.5" fill="none" stroke="#fff" stroke-width="2.4"/><path d="M16 11.5 V16 L19 18" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round"/>',
  },
  problem: {
    color: '#e03131',
    sign: '<rect x="14.4" y="8.5" width="3.2" height="10" rx="1.4" fill="#fff" stroke="none"/><circle cx="16" cy="22.5" r="2" fill="#fff" stroke="none"/>',
  },
};

function trayIcon({ color, sign }) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">
  <circle cx="16" cy="16" r="14.5" fill="${color}" stroke="#ffffff" stroke-opacity="0.85" stroke-width="1.5"/>
  ${sign}
</svg>
`;
}

function render(svg, png, size) {
  // A high density first, so that ImageMagick rasterizes the vector at least at the output size.
  execFileSync(convert, ['-background', 'none', '-density', '384', svg, '-resize', `${size}x${size}`, `PNG32:${png}`]);
}

writeFileSync(join(assets, 'icon.svg'), appIcon());
render(join(assets, 'icon.svg'), join(assets, 'icon.png'), 512);
mkdirSync(join(assets, 'tray'), { recursive: true });
for (const [state, design] of Object.entries(TRAY)) {
  const svg = join(assets, 'tray', `${state}.svg`);
  writeFileSync(svg, trayIcon(design));
  render(svg, join(assets, 'tray', `${state}.png`), 16);
  render(svg, join(assets, 'tray', `${state}@2x.png`), 32);
}
process.stdout.write(`icons written under ${assets}\n`);
