// Till's icons, each one path on a 24-pixel grid, drawn by `components/Icon.svelte` as a shape cut
// out of a box of its text colour (CSS `clip-path: path()`), not as inline SVG.
//
// Why: the first SVG element on a page brings WebKit's SVG engine (its elements, their
// attributes, its layout and painting) into the web process, code and data kept there all day
// for the few icons a till at rest shows: the web process at idle is about 1 MB smaller without
// them (BENCHMARKS.md, "Memory"). A clip path is drawn by the code that draws any box. The
// invoice's QR stays SVG (Rust draws it): it is shown during a sale, and the page renewed at
// rest starts without it.
//
// Every path is filled (nonzero), so an icon drawn with strokes before is written here as the
// outline of its strokes: a stroke of width 2 along an arc of radius r is the band between arcs
// of r + 1 and r - 1, closed by half circles of radius 1 (its round caps).

export const ICONS = {
  /** Lightning: the wordmark, and the gateway's light on a crowded top bar. */
  bolt: 'M13.5 2 6 13.5h5L9.5 22 18 9.5h-5z',
  printer: 'M6 2h12v6H6zM3 9h18a1 1 0 0 1 1 1v7h-4v5H6v-5H2v-7a1 1 0 0 1 1-1zm5 7v4h8v-4z',
  /** A shopfront: the shop link's light. */
  shop: 'M3 3h18l1 6a3 3 0 0 1-5 2 3 3 0 0 1-5 0 3 3 0 0 1-5 0 3 3 0 0 1-5-2zM4 13a4.5 4.5 0 0 0 3-.8 4.5 4.5 0 0 0 5 0 4.5 4.5 0 0 0 5 0 4.5 4.5 0 0 0 3 .8V21h-6v-5h-4v5H4z',
  /** A speaker and two waves (the waves' strokes, width 2 along arcs of radius 5 and 8.5). */
  soundOn:
    'M4 9h4l5-4v14l-5-4H4zM16.71 7.8A6 6 0 0 1 16.71 16.2A1 1 0 0 1 15.29 14.8A4 4 0 0 0 15.29 9.2A1 1 0 0 1 16.71 7.8ZM19.21 5.29A9.5 9.5 0 0 1 19.21 18.71A1 1 0 0 1 17.79 17.29A7.5 7.5 0 0 0 17.79 6.71A1 1 0 0 1 19.21 5.29Z',
  /** A speaker crossed out (two strokes of width 2, round ends). */
  soundOff:
    'M4 9h4l5-4v14l-5-4H4zM15.23 9.64L20.23 15.64A1 1 0 0 0 21.77 14.36L16.77 8.36A1 1 0 0 0 15.23 9.64ZM20.23 8.36L15.23 14.36A1 1 0 0 0 16.77 15.64L21.77 9.64A1 1 0 0 0 20.23 8.36Z',
  /** Three waves, as a contactless card's sign (strokes of width 2 along arcs of radius 8, 12, 16). */
  tap: 'M6.87 7.5A9 9 0 0 1 6.87 16.5A1 1 0 0 1 5.13 15.5A7 7 0 0 0 5.13 8.5A1 1 0 0 1 6.87 7.5ZM10.87 5.5A13 13 0 0 1 10.87 18.5A1 1 0 0 1 9.13 17.5A11 11 0 0 0 9.13 6.5A1 1 0 0 1 10.87 5.5ZM14.87 3.5A17 17 0 0 1 14.87 20.5A1 1 0 0 1 13.13 19.5A15 15 0 0 0 13.13 4.5A1 1 0 0 1 14.87 3.5Z',
  check: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  lock: 'M7 10V7a5 5 0 0 1 10 0v3h1a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V11a1 1 0 0 1 1-1zm2 0h6V7a3 3 0 0 0-6 0z',
} as const;

export type IconName = keyof typeof ICONS;

/** The root element's font size in pixels (one `rem`), kept by [`followRootSize`]. */
export const root = $state({ px: 16 });

/**
 * Keeps [`root`] at the root element's font size. An icon's path is in pixels and cannot follow
 * `rem` by itself (and CSS here cannot divide a length by a length to scale it), so each icon
 * writes its path at its size in pixels. The root's size follows the window's (app.css), so it
 * is read again when the window is resized.
 */
export function followRootSize(win: Window = window): void {
  const set = () => {
    const px = parseFloat(win.getComputedStyle(win.document.documentElement).fontSize);
    root.px = Number.isFinite(px) && px > 0 ? px : 16;
  };
  set();
  win.addEventListener('resize', set);
}

/**
 * The path `d` scaled by `k`: every coordinate and radius multiplied, an arc's rotation and its
 * two flags (its third, fourth and fifth numbers) left as they are. The icons' paths are written
 * with a command letter or a space, comma or sign before each number, and flags as separate
 * numbers, which is all this reads (a number's sign, point or exponent ends the one before it).
 * Scaling the path rather than the box (a CSS `scale`) keeps the icon a plain box, as cheap to
 * draw; both measured the same (BENCHMARKS.md).
 */
export function scaled(d: string, k: number): string {
  let out = '';
  let command = '';
  let arg = 0;
  let i = 0;
  while (i < d.length) {
    const c = d.charAt(i);
    if (c === ' ' || c === ',') {
      i += 1;
    } else if ((c >= '0' && c <= '9') || c === '.' || c === '-' || c === '+') {
      const j = numberEnd(d, i);
      const text = d.slice(i, j);
      const kept = (command === 'A' || command === 'a') && arg % 7 >= 2 && arg % 7 <= 4;
      // A space between two numbers; none after a command letter.
      const gap = out === '' || isLetter(out.charAt(out.length - 1)) ? '' : ' ';
      out += `${gap}${kept ? text : Math.round(Number(text) * k * 100) / 100}`;
      arg += 1;
      i = j;
    } else {
      command = c;
      arg = 0;
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Where the number starting at `start` ends: a sign, digits with at most one point, and an
 * exponent (`2e-3`). "3-.8" is two numbers, and so is "1.5.5". */
function numberEnd(d: string, start: number): number {
  let j = d.charAt(start) === '-' || d.charAt(start) === '+' ? start + 1 : start;
  let point = false;
  let exponent = false;
  while (j < d.length) {
    const c = d.charAt(j);
    if (c >= '0' && c <= '9') {
      j += 1;
    } else if (c === '.' && !point && !exponent) {
      point = true;
      j += 1;
    } else if ((c === 'e' || c === 'E') && !exponent) {
      exponent = true;
      j += d.charAt(j + 1) === '-' || d.charAt(j + 1) === '+' ? 2 : 1;
    } else {
      break;
    }
  }
  return j;
}

function isLetter(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
