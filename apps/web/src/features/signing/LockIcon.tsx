/** A padlock, drawn (emoji fonts are not everywhere). Decorative: always next to a text that says "locked". */
export function LockIcon({ size = 20 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="lock-icon">
      <path d="M7 10V7a5 5 0 0 1 10 0v3" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
      <rect x="4" y="10" width="16" height="11" rx="2" fill="currentColor" />
      <circle cx="12" cy="15.5" r="1.8" fill="var(--lock-hole, #fff)" />
    </svg>
  );
}
