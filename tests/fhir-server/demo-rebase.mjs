// --rebase-demo: lays the demo clinic bundle (assets/demo/clinic.json) out around the moment the
// server starts, as the kiosk's own --demo does (kiosk/app/DemoClinic.cpp): every Appointment,
// Encounter period and identifier period moves by one offset that puts the bundle's anchor
// (Bundle.meta.extension urn:iop-kiosk:demo-anchor) 10 minutes after now, rounded down to 5.
// The kiosk also keeps the block within its local day late in the evening; the server has no
// clinic zone, so it does not.

const kAnchor = 'urn:iop-kiosk:demo-anchor';

function shift(holder, key, offsetMs) {
  if (!holder || typeof holder[key] !== 'string') return;
  const t = Date.parse(holder[key]);
  if (Number.isNaN(t)) throw new Error(`demo bundle: ${key} "${holder[key]}" is not a date-time`);
  holder[key] = new Date(t + offsetMs).toISOString().replace(/\.000Z$/, 'Z');
}

/** Returns a re-based copy of the bundle; throws when it has no anchor. */
export function rebaseDemoBundle(bundle, now = Date.now()) {
  const anchorText = bundle?.meta?.extension?.find((e) => e.url === kAnchor)?.valueDateTime;
  const anchor = Date.parse(anchorText ?? '');
  if (Number.isNaN(anchor)) throw new Error(`--rebase-demo: the bundle has no meta.extension ${kAnchor}`);
  const minute = Math.floor(now / 60000) * 60000;
  const target = minute - (minute % (5 * 60000)) + 10 * 60000;
  const offset = target - anchor;
  const out = structuredClone(bundle);
  for (const entry of out.entry ?? []) {
    const r = entry.resource;
    if (!r) continue;
    for (const id of r.identifier ?? []) {
      shift(id.period, 'start', offset);
      shift(id.period, 'end', offset);
    }
    if (r.resourceType === 'Appointment') {
      shift(r, 'start', offset);
      shift(r, 'end', offset);
    } else if (r.resourceType === 'Encounter') {
      shift(r.period, 'start', offset);
      shift(r.period, 'end', offset);
    }
  }
  return out;
}
