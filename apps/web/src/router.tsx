/**
 * Navigation helpers over react-router's HashRouter (src/routes.tsx). Hash routes work whatever the
 * server does with unknown paths, and survive offline reloads. Pages keep using `navigate`, `Link`
 * and `queryParam` from here, so the router library stays in two files.
 */
import type { AnchorHTMLAttributes, ReactNode } from 'react';
import { Link as RouterLink, useLocation } from 'react-router';

/** Navigate from anywhere (event handlers, effects): the hash router follows the location. */
export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const target = `#${path}`;
  if (opts.replace) window.location.replace(target);
  else window.location.hash = path;
}

/** The current path with its query string (`/login?next=…`). */
export function usePath(): string {
  const { pathname, search } = useLocation();
  return pathname + search;
}

export function queryParam(path: string, name: string): string | null {
  const q = path.split('?')[1];
  return q ? new URLSearchParams(q).get(name) : null;
}

export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <RouterLink to={to} {...rest}>
      {children}
    </RouterLink>
  );
}
