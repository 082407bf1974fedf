import type { SubcommandSpec } from '../shared/commands';
import type { Feature, ProductContext } from '../shared/context';
import { calendarSubcommand } from './commands';
import { calendarRootRoutes } from './http';
import { type CalendarSources, CalendarService } from './service';

/** The team calendar: secret, revocable iCalendar links per member (team and personal). Wiring only. */
export function createCalendarFeature(ctx: ProductContext, sources: CalendarSources): Feature & { service: CalendarService; readonly infraSubcommands: readonly SubcommandSpec[] } {
  const service = new CalendarService(ctx, sources);
  return {
    name: 'calendar',
    service,
    infraSubcommands: [calendarSubcommand(service)],
    rootRoutes: (router) => calendarRootRoutes(router, service),
  };
}
