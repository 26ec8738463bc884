/**
 * Renders the demo story's pictures (committed in data/images/) from small SVG scenes.
 * Run once when a picture changes: `node playground/scripts/generate-demo-images.mjs`.
 * sharp comes with Strapi's upload plugin.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import sharp from 'sharp';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data/images');

/** Parts drawn facing right from (0, 0), placed at (x, y) and scaled. */
const posed = ({ x, y, scale = 1 }, parts) =>
  `<g transform="translate(${x} ${y}) scale(${scale})">${parts}</g>`;

/** A wheel: its tyre and rim around (cx, cy). */
const wheel = (cx, cy, [tyre, rim], colors = ['#22252b', '#9aa3ad']) =>
  `<circle cx="${cx}" cy="${cy}" r="${tyre}" fill="${colors[0]}"/><circle cx="${cx}" cy="${cy}" r="${rim}" fill="${colors[1]}"/>`;

const car = ({ body, glass = '#cfe3f0', ...pose }) =>
  posed(
    pose,
    `<path d="M0 60 Q4 34 40 30 L92 8 Q120 -2 170 6 L222 30 Q262 34 268 58 L268 74 L0 74 Z" fill="${body}"/>
    <path d="M100 14 Q124 6 160 10 L196 30 L86 30 Z" fill="${glass}"/>
    <rect x="244" y="42" width="22" height="8" rx="3" fill="#ffe9a8"/><rect x="2" y="44" width="14" height="7" rx="3" fill="#d9454b"/>
    ${wheel(60, 76, [22, 10])}${wheel(210, 76, [22, 10])}`
  );

const scene = ({ width, height, sky, ground, content }) => `
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${sky[0]}"/><stop offset="1" stop-color="${sky[1]}"/>
    </linearGradient>
  </defs>
  <rect width="${width}" height="${height}" fill="url(#sky)"/>
  <rect y="${height * 0.72}" width="${width}" height="${height * 0.28}" fill="${ground}"/>
  ${content}
</svg>`;

const hills = (width, height, color) =>
  `<path d="M0 ${height * 0.72} Q${width * 0.2} ${height * 0.45} ${width * 0.42} ${height * 0.68} Q${width * 0.62} ${height * 0.5} ${width} ${height * 0.7} L${width} ${height * 0.72} L0 ${height * 0.72} Z" fill="${color}"/>`;

/** A tall seven-seater with a roof box, facing right like `car`. */
const suv = ({ body, glass = '#d6e7f2', ...pose }) =>
  posed(
    pose,
    `<rect x="96" y="-22" width="132" height="18" rx="8" fill="#3d3a36"/>
    <rect x="104" y="-5" width="8" height="7" fill="#3d3a36"/><rect x="212" y="-5" width="8" height="7" fill="#3d3a36"/>
    <path d="M0 72 Q2 42 30 38 L72 35 L100 6 Q106 0 120 0 L238 0 Q252 0 258 10 L276 40 Q288 44 288 66 L288 86 L0 86 Z" fill="${body}"/>
    <path d="M108 10 L160 10 L160 38 L84 38 Z M168 10 L230 10 Q238 10 242 16 L256 38 L168 38 Z" fill="${glass}"/>
    <rect x="266" y="48" width="20" height="9" rx="3" fill="#ffe9a8"/><rect x="2" y="48" width="12" height="12" rx="3" fill="#d9454b"/>
    ${wheel(64, 88, [25, 11])}${wheel(226, 88, [25, 11])}`
  );

/** A red brake caliper behind the spokes of a wheel at (cx, cy). */
const caliper = (cx, cy) =>
  `<path d="M${cx - 10} ${cy - 8} a13 13 0 0 1 14 -5" stroke="#e02424" stroke-width="5" fill="none"/>`;

/** A low two-door coupé with red calipers, facing right. */
const coupe = ({ body, glass = '#2b3440', ...pose }) =>
  posed(
    pose,
    `<path d="M0 50 Q0 36 24 33 L112 18 Q150 4 198 8 L254 28 L304 34 Q322 38 322 50 L322 62 L0 62 Z" fill="${body}"/>
    <path d="M-4 30 L22 30 L26 36 L0 38 Z" fill="${body}"/>
    <path d="M124 20 Q154 10 194 12 L236 30 L108 30 Z" fill="${glass}"/>
    <path d="M40 44 L290 44" stroke="#ffffff" stroke-opacity="0.25" stroke-width="2"/>
    <rect x="300" y="38" width="20" height="6" rx="3" fill="#f4f8ff"/><rect x="0" y="38" width="18" height="5" rx="2" fill="#ff2d2d"/>
    ${[68, 254].map((cx) => wheel(cx, 62, [22, 12], ['#111317', '#5b626c']) + caliper(cx, 62)).join('')}`
  );

const tree = (x, y, size, color) =>
  `<rect x="${x - size * 0.08}" y="${y - size * 0.2}" width="${size * 0.16}" height="${size * 0.5}" fill="#6b4a2f"/><circle cx="${x}" cy="${y - size * 0.45}" r="${size * 0.4}" fill="${color}"/>`;

/** A dimension line with arrowheads from (x1, y1) to (x2, y2) and its label in the middle. */
const dimension = (x1, y1, x2, y2, label) => {
  const vertical = x1 === x2;
  const [tx, ty] = [(x1 + x2) / 2 + (vertical ? 14 : 0), (y1 + y2) / 2 + (vertical ? 6 : -10)];
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#e8f1fb" stroke-width="2" marker-start="url(#arrow)" marker-end="url(#arrow)"/>
    <text x="${tx}" y="${ty}" fill="#e8f1fb" font-family="DejaVu Sans Mono, monospace" font-size="20" text-anchor="${vertical ? 'start' : 'middle'}">${label}</text>`;
};

const HERO = [1200, 630];
const ARTICLE = [800, 450];
/** A picture's size and its sky (top and bottom colour) and ground colour. */
const scenery = ([width, height], sky, ground) => ({ width, height, sky, ground });

const pictures = {
  // The homepage hero: a calm evening drive.
  'hero-default': {
    ...scenery(HERO, ['#27466e', '#f3a462'], '#3b3f46'),
    content: (w, h) =>
      `${hills(w, h, '#324d63')}<circle cx="930" cy="210" r="70" fill="#ffd58a" opacity="0.85"/>
       <rect y="${h * 0.83}" width="${w}" height="8" fill="#d8d2c4" opacity="0.6"/>${car({ x: 380, y: 370, scale: 1.6, body: '#c9ced6' })}`,
  },
  // Article: the Aurora EV and its range.
  'aurora-ev': {
    ...scenery(ARTICLE, ['#0f4c5c', '#9fd8cb'], '#2f4f4f'),
    content: (w, h) =>
      `${hills(w, h, '#2c6e6a')}<rect x="620" y="210" width="46" height="110" rx="8" fill="#e9f5f2"/>
       <path d="M643 236 l-12 26 h12 l-6 24 l20 -32 h-12 l8 -18 z" fill="#1f9d8b"/>${car({ x: 200, y: 250, scale: 1.3, body: '#1f9d8b' })}`,
  },
  // Article: the online configurator.
  configurator: {
    ...scenery(ARTICLE, ['#f4f1ea', '#e2ddd2'], '#cfc8ba'),
    content: () =>
      `${['#c0392b', '#2c3e50', '#f1c40f', '#ecf0f1', '#16a085']
        .map(
          (color, i) =>
            `<circle cx="${200 + i * 100}" cy="90" r="30" fill="${color}" stroke="#8a8477" stroke-width="3"/>`
        )
        .join('')}${car({ x: 230, y: 230, scale: 1.25, body: '#c0392b' })}`,
  },
  // Article: electrifying a company fleet.
  fleet: {
    ...scenery(ARTICLE, ['#1e3a5f', '#8fb3d9'], '#44505c'),
    content: (w, h) =>
      `${hills(w, h, '#2d4a6b')}${car({ x: 40, y: 290, scale: 0.85, body: '#f5f7fa' })}${car({ x: 290, y: 290, scale: 0.85, body: '#f5f7fa' })}${car({ x: 540, y: 290, scale: 0.85, body: '#f5f7fa' })}`,
  },
  // Article: safety ratings for every seat.
  safety: {
    ...scenery(ARTICLE, ['#5b8c5a', '#d7ecc8'], '#6b7f5e'),
    content: (w, h) =>
      `${hills(w, h, '#4f7a4d')}<path d="M640 90 l70 28 v60 q0 60 -70 92 q-70 -32 -70 -92 v-60 z" fill="#f7f9f4" stroke="#3e6b3c" stroke-width="6"/>
       <path d="M610 170 l22 24 l42 -50" fill="none" stroke="#3e6b3c" stroke-width="12" stroke-linecap="round"/>${car({ x: 120, y: 260, scale: 1.3, body: '#35608f' })}`,
  },
  // Homepage for the family buyer: a seven-seater at the campsite, warm evening light.
  'hero-family': {
    ...scenery(HERO, ['#f28f3b', '#fde2b0'], '#6f8f45'),
    content: (w, h) =>
      `${hills(w, h, '#5a7d3c')}<circle cx="240" cy="190" r="80" fill="#fff1c9" opacity="0.9"/>
       ${tree(1080, 440, 150, '#3f6b35')}${tree(130, 450, 120, '#4b7a3d')}
       <path d="M800 460 L900 330 L1000 460 Z" fill="#e0622d"/><path d="M900 330 L878 460 L922 460 Z" fill="#8f3514"/>
       <path d="M790 462 L1010 462" stroke="#5b3a20" stroke-width="4"/>
       ${suv({ x: 300, y: 330, scale: 1.55, body: '#6d8fa8' })}
       <g fill="#b8814a"><ellipse cx="780" cy="490" rx="38" ry="17"/><circle cx="820" cy="466" r="16"/>
       <rect x="752" y="496" width="8" height="24" rx="3"/><rect x="796" y="496" width="8" height="24" rx="3"/>
       <path d="M744 484 q-22 -10 -18 -30" stroke="#b8814a" stroke-width="7" fill="none" stroke-linecap="round"/></g>
       <path d="M812 456 q-8 12 -2 22 q8 -6 8 -20 z" fill="#7a4f27"/><circle cx="826" cy="462" r="2.5" fill="#22252b"/>`,
  },
  // Homepage for the performance enthusiast: a low coupé at speed, night and red light.
  'hero-performance': {
    ...scenery(HERO, ['#07070b', '#3d0a10'], '#141418'),
    content: (w, h) =>
      `<path d="M0 ${h * 0.72} L${w} ${h * 0.6} L${w} ${h * 0.72} Z" fill="#1d0b0f"/>
       ${[360, 390, 420, 448, 470, 500]
         .map(
           (y, i) =>
             `<rect x="${-40 + i * 45}" y="${y}" width="${300 + ((i * 97) % 160)}" height="${i % 2 ? 3 : 5}" rx="2" fill="${i % 2 ? '#ff3b3b' : '#f2f2f2'}" opacity="${0.25 + (i % 3) * 0.2}"/>`
         )
         .join('')}
       <rect x="0" y="${h * 0.86}" width="${w}" height="6" fill="#e8e8e8" opacity="0.35"/>
       <rect x="80" y="${h * 0.93}" width="160" height="6" fill="#e8e8e8" opacity="0.5"/><rect x="520" y="${h * 0.93}" width="160" height="6" fill="#e8e8e8" opacity="0.5"/><rect x="960" y="${h * 0.93}" width="160" height="6" fill="#e8e8e8" opacity="0.5"/>
       <ellipse cx="690" cy="${h * 0.8}" rx="300" ry="18" fill="#000000" opacity="0.6"/>
       ${coupe({ x: 420, y: 400, scale: 1.7, body: '#c1121f' })}`,
  },
  // Homepage for the fact seeker: a blueprint with the car's dimensions.
  'hero-technical': {
    ...scenery(HERO, ['#0e3a63', '#0e3a63'], '#0e3a63'),
    content: (w, h) =>
      `<defs>
         <pattern id="grid" width="50" height="50" patternUnits="userSpaceOnUse"><path d="M50 0 H0 V50" fill="none" stroke="#6f9cc9" stroke-opacity="0.15" stroke-width="1"/></pattern>
         <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#e8f1fb"/></marker>
       </defs>
       <rect width="${w}" height="${h}" fill="url(#grid)"/>
       <g transform="translate(250 200) scale(2.6)" fill="none" stroke="#e8f1fb" stroke-width="1.1">
         <path d="M0 60 Q4 34 40 30 L92 8 Q120 -2 170 6 L222 30 Q262 34 268 58 L268 74 L0 74 Z"/>
         <path d="M100 14 Q124 6 160 10 L196 30 L86 30 Z" stroke-dasharray="3 2"/>
         <path d="M138 8 L138 74 M86 30 L86 74" stroke-opacity="0.7"/>
         <circle cx="60" cy="76" r="22"/><circle cx="60" cy="76" r="10"/>
         <circle cx="210" cy="76" r="22"/><circle cx="210" cy="76" r="10"/>
         <path d="M60 40 V112 M210 40 V112 M0 74 V112 M268 74 V112 M268 -4 H300 M268 98 H300" stroke-opacity="0.5" stroke-dasharray="2 2"/>
       </g>
       ${dimension(250, 480, 947, 480, '4,780 mm')}
       ${dimension(406, 530, 796, 530, 'wheelbase 2,900 mm')}
       ${dimension(1010, 190, 1010, 455, '1,590 mm')}
       <rect x="40" y="40" width="470" height="96" fill="#0e3a63" stroke="#e8f1fb" stroke-width="2"/>
       <text x="60" y="78" fill="#e8f1fb" font-family="DejaVu Sans Mono, monospace" font-size="24">AURORA EV · SIDE ELEVATION</text>
       <text x="60" y="116" fill="#9fc2e4" font-family="DejaVu Sans Mono, monospace" font-size="18">86 kWh · 540 km WLTP · 10–80 % 24 min</text>`,
  },
};

await mkdir(outDir, { recursive: true });
for (const [name, { content, ...picture }] of Object.entries(pictures)) {
  const svg = scene({ ...picture, content: content(picture.width, picture.height) });
  const file = path.join(outDir, `${name}.jpg`);
  const { size } = await sharp(Buffer.from(svg)).jpeg({ quality: 72, mozjpeg: true }).toFile(file);
  console.log(
    `${path.relative(process.cwd(), file)}  ${picture.width}x${picture.height}  ${(size / 1024).toFixed(1)} KB`
  );
}
