import { memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Links the model wrote open in a new tab, and tell the other site nothing about this page.
const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer" />,
};

/**
 * Model text (a thought, a result) as Markdown, safely: react-markdown builds React elements, never HTML strings, so
 * raw HTML in the text shows as text and nothing in it runs; links with unsafe schemes (`javascript:`) are dropped.
 */
export const Markdown = memo(function Markdown({ text, className, testId }: { text: string; className?: string; testId?: string }) {
  return (
    <div className={`markdown${className ? ` ${className}` : ''}`} data-testid={testId}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>{text}</ReactMarkdown>
    </div>
  );
});
