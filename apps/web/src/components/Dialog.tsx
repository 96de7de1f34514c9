/**
 * The one modal dialog of the app: a native modal <dialog> (the page behind it is inert), labelled by
 * its heading, with a close button, Tab/Shift+Tab kept inside (useFocusTrap) and Escape closing it.
 * Focus goes to `initialFocus` (or the dialog itself) when it opens and back to where it was when it
 * closes — or wherever `returnFocus` puts it (the link dialog returns to the editor).
 *
 *   <Dialog title={t.renameTitle} closeLabel={t.close} onClose={onClose} initialFocus={inputRef}>…</Dialog>
 */
import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { useFocusTrap } from './focus-trap.ts';

export interface DialogProps {
  title: ReactNode;
  /** Accessible name of the ✕ button ("Stäng"). */
  closeLabel: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra classes besides `dialog` (e.g. `dialog--wide`). */
  className?: string;
  /** Element to focus when the dialog opens (default: the browser's choice, the first focusable). */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Where focus goes when the dialog closes (default: the element that had focus when it opened). */
  returnFocus?: () => void;
  /** id of an element inside that describes the dialog (aria-describedby). */
  describedBy?: string;
  testId?: string;
}

export function Dialog({ title, closeLabel, onClose, children, className, initialFocus, returnFocus, describedBy, testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useFocusTrap(ref);
  const titleId = `${useId()}-title`;
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const returnFocusRef = useRef(returnFocus);
  returnFocusRef.current = returnFocus;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    initialFocus?.current?.focus();
    return () => {
      // No close() here: removing the element ends the modal state, and a close event would unmount the
      // dialog under React's development double-mount. Focus is only given back on a real unmount.
      queueMicrotask(() => {
        if (d.isConnected) return;
        if (returnFocusRef.current) returnFocusRef.current();
        else if (previous?.isConnected) previous.focus();
      });
    };
    // Opened once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      data-testid={testId}
      onCancel={(e) => {
        // Escape: let React unmount the dialog rather than the browser closing it under React.
        e.preventDefault();
        onCloseRef.current();
      }}
      onClose={() => onCloseRef.current()}
    >
      <div className="dialog__head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" onClick={() => onCloseRef.current()} aria-label={closeLabel}>
          ✕
        </button>
      </div>
      {children}
    </dialog>
  );
}
