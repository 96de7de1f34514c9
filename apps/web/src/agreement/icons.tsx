/** Small stroke icons for the editor toolbar (decorative: buttons carry the accessible name). */
import type { ReactNode } from 'react';

function Svg({ children }: { children: ReactNode }) {
  return (
    <svg width="18" height="18" viewBox="0 0 18 18" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const IconBulletList = () => (
  <Svg>
    <circle cx="3.5" cy="4.5" r="1" fill="currentColor" />
    <circle cx="3.5" cy="9" r="1" fill="currentColor" />
    <circle cx="3.5" cy="13.5" r="1" fill="currentColor" />
    <path d="M7 4.5h8M7 9h8M7 13.5h8" />
  </Svg>
);

export const IconOrderedList = () => (
  <Svg>
    <path d="M2.5 3.2l1.2-.7v4M2.4 11.2c.3-.6 1.9-.8 1.9.3 0 .8-1.9 1.6-1.9 2.5h2" strokeWidth="1.2" />
    <path d="M7 4.5h8M7 9h8M7 13.5h8" />
  </Svg>
);

export const IconLink = () => (
  <Svg>
    <path d="M7.5 10.5l3-3" />
    <path d="M8.5 5.5l1.3-1.3a2.8 2.8 0 014 4L12.5 9.5M9.5 12.5l-1.3 1.3a2.8 2.8 0 01-4-4L5.5 8.5" />
  </Svg>
);

export const IconTable = () => (
  <Svg>
    <rect x="2.5" y="3" width="13" height="12" rx="1" />
    <path d="M2.5 7h13M2.5 11h13M7 7v8M11.5 7v8" />
  </Svg>
);

export const IconRowAdd = () => (
  <Svg>
    <rect x="2.5" y="3" width="13" height="6" rx="1" />
    <path d="M9 11.5v5M6.5 14h5" />
  </Svg>
);

export const IconColumnAdd = () => (
  <Svg>
    <rect x="3" y="2.5" width="6" height="13" rx="1" />
    <path d="M11.5 9h5M14 6.5v5" />
  </Svg>
);

export const IconRowDelete = () => (
  <Svg>
    <rect x="2.5" y="3" width="13" height="6" rx="1" />
    <path d="M6.5 14h5" />
  </Svg>
);

export const IconColumnDelete = () => (
  <Svg>
    <rect x="3" y="2.5" width="6" height="13" rx="1" />
    <path d="M11.5 9h5" />
  </Svg>
);

export const IconTableDelete = () => (
  <Svg>
    <rect x="2.5" y="3" width="13" height="12" rx="1" />
    <path d="M6.5 6.5l5 5M11.5 6.5l-5 5" />
  </Svg>
);
