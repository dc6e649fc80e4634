// The offline verify page's script (`kioskctl verify-page`). It follows the same rules, in the
// same order, as verify_receipt_url in kiosk/receipt.cpp; the golden vectors in docs/receipt.md
// check both. It reads the embedded keyring, never the network (the page's CSP forbids it).
'use strict';
(() => {
  const DATA = JSON.parse(document.getElementById('desk-data').textContent);
  const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const MAX_LINK = 4096;
  const HISTORY = 20;
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- the rules (kiosk/receipt.cpp)

  function gfMul(a, b) {  // GF(32) = GF(2)[x] / (x^5 + x^2 + 1), as kiosk/tracking.cpp
    let r = 0;
    for (let i = 0; i < 5; i++) {
      if (b & (1 << i)) r ^= a;
      a <<= 1;
      if (a & 0x20) a ^= 0x25;
    }
    return r;
  }
  const POW = [];
  for (let i = 0, v = 1; i < 13; i++) {
    POW.push(v);
    v <<= 1;
    if (v & 0x20) v ^= 0x25;
  }
  function checkChar(data12) {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum ^= gfMul(POW[i + 1], ALPHABET.indexOf(data12[i]));
    return ALPHABET[sum];
  }
  const utf8Length = (s) => new TextEncoder().encode(s).length;

  // Forgiving as people are: any case, '-' and spaces, O for 0, I and L for 1.
  function parseTracking(text) {
    if (utf8Length(text) > 64) return { error: 'malformed' };
    let raw = '';
    for (let c of text) {
      if (c === '-' || c === ' ') continue;
      if (c >= 'a' && c <= 'z') c = c.toUpperCase();
      if (c === 'O') c = '0';
      if (c === 'I' || c === 'L') c = '1';
      if (c.length !== 1 || ALPHABET.indexOf(c) < 0) return { error: 'malformed' };
      raw += c;
    }
    if (raw.length !== 13) return { error: 'malformed' };
    if (checkChar(raw.slice(0, 12)) !== raw[12]) return { raw, error: 'bad_check' };
    return { raw };
  }
  const formatTracking = (raw) =>
    raw.slice(0, 4) + '-' + raw.slice(4, 8) + '-' + raw.slice(8, 12) + '-' + raw.slice(12);

  const isSpace = (c) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  function trimmedLink(url) {
    let a = 0;
    while (a < url.length && isSpace(url[a])) a++;
    url = url.slice(a);
    const hash = url.indexOf('#');
    if (hash >= 0) url = url.slice(0, hash);
    let b = url.length;
    while (b > 0 && isSpace(url[b - 1])) b--;
    return url.slice(0, b);
  }
  const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  // Length of base + "/r/" when url starts with them (scheme and host in any case).
  function underBase(url, base) {
    const path = base.indexOf('/', 8);
    const origin = path < 0 ? base : base.slice(0, path);
    const rest = path < 0 ? '' : base.slice(path);
    if (url.length < base.length + 3) return 0;
    if (asciiLower(url.slice(0, origin.length)) !== asciiLower(origin)) return 0;
    const after = url.slice(origin.length);
    if (!after.startsWith(rest) || !after.slice(rest.length).startsWith('/r/')) return 0;
    return base.length + 3;
  }
  const KIOSK_ID = /^[A-Za-z0-9._-]{1,32}$/;
  const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // 64 bytes of unpadded base64url, strictly (libsodium also refuses stray low bits).
  function signatureBytes(s) {
    if (!/^[A-Za-z0-9_-]{86}$/.test(s)) return null;
    if (B64URL.indexOf(s[85]) & 0x0f) return null;
    const out = new Uint8Array(64);
    let acc = 0, bits = 0, n = 0;
    for (const c of s) {
      acc = (acc << 6) | B64URL.indexOf(c);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (acc >> bits) & 0xff;
      }
    }
    return out;
  }
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

  const keys = DATA.keys.map((k) => ({ ...k, crypto: null }));
  const bases = DATA.bases.concat(keys.filter((k) => k.base).map((k) => k.base));
  let cryptoProblem = null;
  const ready = Promise.all(keys.map(async (k) => {
    k.crypto = await crypto.subtle.importKey('raw', b64(k.key), { name: 'Ed25519' }, false,
      ['verify']);
  })).catch((e) => { cryptoProblem = String(e && e.message || e); });

  const result = (code, extra) => Object.assign({ code }, extra || {});

  async function verifyLink(input) {
    const url = trimmedLink(input);
    if (utf8Length(url) > MAX_LINK) return result('malformed', { why: 'too_long' });
    const q = url.indexOf('?');
    if (q < 0 || url.slice(0, q).indexOf('/r/') < 0) return result('malformed');
    let codeAt = 0, base = '';
    for (const b of bases) {
      codeAt = underBase(url.slice(0, q), b);
      if (codeAt) { base = b; break; }
    }
    if (!codeAt) return result('wrong_site');
    const codeText = url.slice(codeAt, q);
    const p = {};
    for (const pair of url.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const key = pair.slice(0, eq);
      if (key !== 'k' && key !== 't' && key !== 'c' && key !== 's') continue;
      if (key in p) return result('malformed');
      p[key] = pair.slice(eq + 1);
    }
    if (!('k' in p && 't' in p && 'c' in p && 's' in p)) return result('malformed');
    if (!KIOSK_ID.test(p.k)) return result('malformed');
    if (!/^[0-9]{1,12}$/.test(p.t) || (p.t.length > 1 && p.t[0] === '0'))
      return result('malformed');
    if (p.c !== 'p' && p.c !== 'a' && p.c !== 'i') return result('malformed');
    const sig = signatureBytes(p.s);
    if (!sig) return result('malformed');
    const parsed = parseTracking(codeText);
    if (parsed.error === 'malformed') return result('malformed');
    const fields = { tracking: formatTracking(parsed.raw), kiosk: p.k, t: Number(p.t), c: p.c,
      base, link: url };
    if (parsed.error === 'bad_check') return result('bad_check', fields);
    let mine = keys.filter((k) => k.kiosk === p.k);
    if (!mine.length) return result('unknown_kiosk', fields);
    const first = mine[0];
    mine = mine.filter((k) => k.prefix === parsed.raw.slice(0, 4));
    if (!mine.length) return result('kiosk_mismatch', Object.assign(fields, { key: first }));
    await ready;
    if (cryptoProblem) return result('no_crypto', fields);
    const canonical = new TextEncoder().encode('lapor-kiosk-receipt/1\n' + fields.tracking + '\n' +
      fields.kiosk + '\n' + fields.t + '\n' + fields.c);
    let outOfDates = null;
    for (const k of mine) {
      if (!await crypto.subtle.verify({ name: 'Ed25519' }, k.crypto, sig, canonical)) continue;
      const valid = (k.from === null || fields.t >= k.from) && (k.until === null || fields.t < k.until);
      if (!valid) { outOfDates = outOfDates || k; continue; }
      return result('genuine', Object.assign(fields, { key: k }));
    }
    if (outOfDates) return result('key_not_valid', Object.assign(fields, { key: outOfDates }));
    return result('bad_signature', Object.assign(fields, { key: first }));
  }

  // ---------------------------------------------------------------- words, in two languages

  const TEXT = {
    id: {
      title: 'Periksa tanda terima LAPOR!',
      label: 'Pindai kode QR pada tanda terima (atau ketik/tempel tautannya), lalu tekan Enter',
      check: 'Periksa', camera: 'Pindai dengan kamera', stop_camera: 'Tutup kamera',
      genuine: 'ASLI', not_genuine: 'TIDAK ASLI', waiting: 'Menunggu pindaian…',
      tracking: 'Kode pelacakan', kiosk: 'Kios', office: 'Kantor', filed: 'Waktu pengajuan',
      type: 'Jenis', site: 'Situs', status: 'Lihat status laporan di situs LAPOR!',
      claims: 'Isi tautan ini (TIDAK terverifikasi):',
      history: 'Riwayat (20 pemeriksaan terakhir, hanya di halaman ini)',
      offline: 'Halaman ini bekerja tanpa internet dan tidak pernah mengirim tautan ke mana pun.',
      keyring: (k, n, g) => `Daftar kunci: ${k} kios, ${n} kunci, dibuat ${g}.`,
      unknown: 'tidak diketahui',
      p: 'Pengaduan', a: 'Aspirasi', i: 'Permintaan informasi',
      reasons: {
        genuine: (f) => `Tanda terima ini dibuat oleh kios ${f.kiosk} dan tidak diubah.`,
        malformed: () => 'Bukan tautan tanda terima LAPOR! (ada bagian yang hilang atau rusak).',
        wrong_site: () => 'Tautan mengarah ke situs lain, bukan situs LAPOR! yang dikenal halaman ini.',
        bad_check: () => 'Karakter pemeriksa kode pelacakan salah (salah ketik atau diubah).',
        unknown_kiosk: (f) => `Kios ${f.kiosk} tidak dikenal (tidak ada di daftar kunci halaman ini).`,
        kiosk_mismatch: (f) => `Kode pelacakan ini bukan milik kios ${f.kiosk}.`,
        key_not_valid: (f) => `Kunci kios ${f.kiosk} tidak berlaku pada tanggal tanda terima ini.`,
        bad_signature: (f) => `Tanda tangan tidak cocok: tanda terima diubah atau bukan buatan kios ${f.kiosk}.`,
        no_crypto: () => 'Peramban ini tidak dapat memeriksa tanda tangan Ed25519. Gunakan Chrome/Chromium 137+ atau Firefox 129+.',
      },
      months: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus',
        'September', 'Oktober', 'November', 'Desember'],
    },
    en: {
      title: 'Check a LAPOR! receipt',
      label: 'Scan the QR code on the receipt (or type/paste its link), then press Enter',
      check: 'Check', camera: 'Scan with camera', stop_camera: 'Close camera',
      genuine: 'GENUINE', not_genuine: 'NOT GENUINE', waiting: 'Waiting for a scan…',
      tracking: 'Tracking code', kiosk: 'Kiosk', office: 'Office', filed: 'Filed at',
      type: 'Type', site: 'Site', status: 'See the report\'s status on the LAPOR! site',
      claims: 'What this link claims (NOT verified):',
      history: 'History (last 20 checks, on this page only)',
      offline: 'This page works offline and never sends the link anywhere.',
      keyring: (k, n, g) => `Keyring: ${k} kiosks, ${n} keys, made ${g}.`,
      unknown: 'not known',
      p: 'Complaint', a: 'Aspiration', i: 'Information request',
      reasons: {
        genuine: (f) => `This receipt was made by kiosk ${f.kiosk} and has not been altered.`,
        malformed: () => 'Not a LAPOR! receipt link (a part is missing or damaged).',
        wrong_site: () => 'The link points to another site, not a LAPOR! site this page knows.',
        bad_check: () => 'The tracking code\'s check character is wrong (mistyped or altered).',
        unknown_kiosk: (f) => `Unknown kiosk ${f.kiosk} (not in this page's keyring).`,
        kiosk_mismatch: (f) => `This tracking code does not belong to kiosk ${f.kiosk}.`,
        key_not_valid: (f) => `Kiosk ${f.kiosk}'s key was not valid on this receipt's date.`,
        bad_signature: (f) => `Bad signature: the receipt was altered or not made by kiosk ${f.kiosk}.`,
        no_crypto: () => 'This browser cannot check Ed25519 signatures. Use Chrome/Chromium 137+ or Firefox 129+.',
      },
      months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
        'September', 'October', 'November', 'December'],
    },
  };
  let lang = DATA.lang === 'en' ? 'en' : 'id';

  const pad = (n) => String(n).padStart(2, '0');
  // The time in the office's zone (Indonesia keeps no summer time: a fixed offset).
  function localParts(t, key) {
    const tz = (key && key.tz) || DATA.tz;
    const d = new Date((t + tz.offset) * 1000);
    return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate(), h: d.getUTCHours(),
      min: d.getUTCMinutes(), abbr: tz.abbr };
  }
  const isoLocal = (t, key) => {
    const p = localParts(t, key);
    return `${p.y}-${pad(p.m + 1)}-${pad(p.d)} ${pad(p.h)}:${pad(p.min)} ${p.abbr}`;
  };
  const wordsLocal = (t, key) => {
    const p = localParts(t, key);
    const sep = lang === 'id' ? '.' : ':';
    return `${p.d} ${TEXT[lang].months[p.m]} ${p.y}, ${pad(p.h)}${sep}${pad(p.min)} ${p.abbr}`;
  };

  // ---------------------------------------------------------------- the page

  const input = $('link');
  const history = [];  // memory only: gone when the page closes
  let last = null;
  let seq = 0;

  function setText(id, text) { $(id).textContent = text; }

  function renderStatic() {
    const T = TEXT[lang];
    document.documentElement.lang = lang;
    document.title = T.title + (DATA.office ? ' · ' + DATA.office : '');
    setText('title', T.title);
    setText('desk-office', DATA.office || '');
    setText('link-label', T.label);
    setText('check', T.check);
    setText('camera', cameraOn ? T.stop_camera : T.camera);
    setText('history-title', T.history);
    setText('offline', T.offline);
    const kiosks = new Set(keys.map((k) => k.kiosk)).size;
    setText('keyring-info', T.keyring(kiosks, keys.length, DATA.generated));
    $('lang-id').setAttribute('aria-pressed', String(lang === 'id'));
    $('lang-en').setAttribute('aria-pressed', String(lang === 'en'));
    if (cryptoProblem) setText('problem', T.reasons.no_crypto());
    renderResult();
    renderHistory();
  }

  function renderResult() {
    const T = TEXT[lang];
    const box = $('result');
    if (!last) {
      box.dataset.verdict = 'none';
      setText('verdict', T.waiting);
      setText('mark', '');
      setText('reason', '');
      setText('claims', '');
      $('fields').hidden = true;
      $('status').hidden = true;
      return;
    }
    const r = last;
    const ok = r.code === 'genuine';
    box.dataset.verdict = r.code;
    box.dataset.seq = String(r.seq);
    box.dataset.tracking = r.tracking || '';
    box.dataset.kiosk = r.kiosk || '';
    box.dataset.local = r.t !== undefined ? isoLocal(r.t, r.key) : '';
    box.dataset.base = r.base || '';
    box.dataset.office = (r.key && r.key.office) || '';
    setText('mark', ok ? '✔' : '✘');
    setText('verdict', ok ? T.genuine : T.not_genuine);
    setText('reason', T.reasons[r.code](r));
    const rows = [];
    if (r.tracking) rows.push([T.tracking, r.tracking]);
    if (r.kiosk) rows.push([T.kiosk, r.kiosk]);
    if (r.tracking) rows.push([T.office, (r.key && r.key.office) || T.unknown]);
    if (r.t !== undefined) rows.push([T.filed, wordsLocal(r.t, r.key)]);
    if (r.c) rows.push([T.type, T[r.c]]);
    if (r.base) rows.push([T.site, r.base]);
    const dl = $('fields');
    dl.replaceChildren();
    for (const [k, v] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dl.append(dt, dd);
    }
    dl.hidden = rows.length === 0;
    // A link that is not genuine only claims its tracking code, kiosk and time.
    setText('claims', !ok && rows.length ? T.claims : '');
    const a = $('status');
    a.hidden = !ok;
    if (ok) {
      a.href = r.link;  // the national tracking page the QR code points to, opened only by a click
      a.textContent = T.status;
    }
  }

  function renderHistory() {
    const T = TEXT[lang];
    const ol = $('history-list');
    ol.replaceChildren();
    for (const h of history) {
      const li = document.createElement('li');
      li.className = h.code === 'genuine' ? 'ok' : 'bad';
      const d = new Date(h.checked);
      li.textContent = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}  ` +
        `${h.code === 'genuine' ? '✔ ' + T.genuine : '✘ ' + T.not_genuine}  ` +
        `${h.tracking || '—'}  ${T.reasons[h.code](h)}`;
      ol.append(li);
    }
  }

  let audio = null;
  function beep(ok) {
    try {
      audio = audio || new AudioContext();
      const o = audio.createOscillator(), g = audio.createGain();
      o.type = ok ? 'sine' : 'square';
      o.frequency.setValueAtTime(ok ? 880 : 220, audio.currentTime);
      if (ok) o.frequency.setValueAtTime(1320, audio.currentTime + 0.09);
      g.gain.setValueAtTime(0.15, audio.currentTime);
      g.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + (ok ? 0.22 : 0.45));
      o.connect(g).connect(audio.destination);
      o.start();
      o.stop(audio.currentTime + (ok ? 0.22 : 0.45));
    } catch (e) { /* no sound: the colour, mark and words still say it */ }
  }

  // Scans run one after another, each shown in full, so a fast scanner cannot mix two results.
  let queue = Promise.resolve();
  window.deskTimings = [];
  function check(text, started) {
    queue = queue.then(async () => {
      const r = await verifyLink(text);
      r.seq = ++seq;
      r.checked = Date.now();
      last = r;
      history.unshift(r);
      history.length = Math.min(history.length, HISTORY);
      renderResult();
      renderHistory();
      const verified = performance.now();
      beep(r.code === 'genuine');
      requestAnimationFrame(() => window.deskTimings.push({
        seq: r.seq, verdict_ms: verified - started, frame_ms: performance.now() - started }));
    });
  }

  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const text = input.value;
    input.value = '';
    input.focus();
    if (text.trim() !== '') check(text, e.timeStamp);
  });
  $('scan-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value;
    input.value = '';
    input.focus();
    if (text.trim() !== '') check(text, performance.now());
  });
  $('lang-id').addEventListener('click', () => { lang = 'id'; renderStatic(); input.focus(); });
  $('lang-en').addEventListener('click', () => { lang = 'en'; renderStatic(); input.focus(); });
  // A click anywhere but on a control gives the scanner its input back.
  document.addEventListener('click', (e) => {
    if (!e.target.closest('a, button, input, video')) input.focus();
  });
  window.addEventListener('focus', () => input.focus());

  // ---------------------------------------------------------------- camera (where offered)

  let cameraOn = false, stream = null;
  const cam = $('camera');
  if ('BarcodeDetector' in window && navigator.mediaDevices &&
      navigator.mediaDevices.getUserMedia) {
    cam.hidden = false;
    cam.addEventListener('click', async () => {
      if (cameraOn) return stopCamera();
      try {
        const detector = new BarcodeDetector({ formats: ['qr_code'] });
        stream = await navigator.mediaDevices.getUserMedia(
          { video: { facingMode: 'environment' }, audio: false });
        const video = $('video');
        video.srcObject = stream;
        video.hidden = false;
        await video.play();
        cameraOn = true;
        renderStatic();
        const look = async () => {
          if (!cameraOn) return;
          const found = await detector.detect(video).catch(() => []);
          if (found.length) {
            const text = found[0].rawValue;
            stopCamera();
            check(text, performance.now());
          } else {
            setTimeout(look, 150);
          }
        };
        look();
      } catch (e) {
        stopCamera();
        setText('problem', String(e && e.message || e));
      }
    });
  }
  function stopCamera() {
    cameraOn = false;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    $('video').hidden = true;
    renderStatic();
    input.focus();
  }

  ready.then(renderStatic);
  renderStatic();
  input.focus();
})();
