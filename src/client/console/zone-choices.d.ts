// Types of zone-choices.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare function zoneChoices(
  browserZones: readonly string[],
  current?: string | null,
): string[];
export declare function primaryZoneName(name: string): string;
