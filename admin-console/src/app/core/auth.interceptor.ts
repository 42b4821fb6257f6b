import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';

import { SbAuthStore } from './auth.store';

/** Adds `Authorization: Bearer <token>` to the server's /api requests, and to nothing else. */
export const sbAuthInterceptor: HttpInterceptorFn = (request, next) => {
  const token = inject(SbAuthStore).token();
  if (!token || !isApiUrl(request.url)) return next(request);
  return next(request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }));
};

function isApiUrl(url: string): boolean {
  if (url.startsWith('/api/')) return true;
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.origin === window.location.origin && parsed.pathname.startsWith('/api/');
  } catch {
    return false;
  }
}
