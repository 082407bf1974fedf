import { STATUS_TEXT } from './messages';
import type { Maintenance } from './records';
import { formatInZone } from './times';

/** A maintenance window as a reply line, in the reader's time zone. */
export const maintenanceLine = (m: Maintenance, zone: string): string => STATUS_TEXT.maintenanceLine(m, formatInZone(m.from, zone), formatInZone(m.to, zone));
