import type { Feature, ProductContext } from '../shared/context';
import { calendarCommand } from './commands';
import { calendarRootRoutes } from './http';
import { type CalendarSources, CalendarService } from './service';

/** The team calendar: secret, revocable iCalendar links per member (team and personal). Wiring only. */
export function createCalendarFeature(ctx: ProductContext, sources: CalendarSources): Feature & { service: CalendarService } {
  const service = new CalendarService(ctx, sources);
  return {
    name: 'calendar',
    service,
    commands: [calendarCommand(service)],
    rootRoutes: (router) => calendarRootRoutes(router, service),
  };
}
