// The store time-zone picker's list: the browser's own IANA zones (none bundled), each under the
// name the API stores and reads back. Chromium's ICU lists some zones by their old spelling
// (`Asia/Calcutta`, `Europe/Kiev`); offered as listed, a pick would come back renamed
// (`Asia/Kolkata`) and the form would then hold both names, the saved one not the one selected.
import { primaryZoneName } from "../../core/zone-spellings";

export { primaryZoneName };

/**
 * The zones to offer, "UTC" first and then in code-point order, each once under the API's name;
 * `current` (a store's zone, which this browser may not list) is among them.
 *
 * @example zoneChoices(["Asia/Calcutta", "Asia/Kolkata", "Asia/Tokyo"], null) // ["UTC", "Asia/Kolkata", "Asia/Tokyo"]
 */
export function zoneChoices(browserZones, current = null) {
  const zones = new Set(browserZones.map(primaryZoneName));
  if (current) zones.add(primaryZoneName(current));
  zones.delete("UTC");
  return ["UTC", ...[...zones].sort()];
}
