import { useState, type ComponentType } from 'react';

import {
  Box,
  Button,
  Flex,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Textarea,
  Toggle,
  Typography,
} from '@strapi/design-system';
import { Images } from '@strapi/icons';
import { useStrapiApp } from '@strapi/strapi/admin';

import { useGetUploadFileQuery } from '../api/personalizeApi';
import type { AttributeSettings } from '../api/types';
import { blocksToText, textToBlocks } from '../utils/blocks';
import { useT } from '../utils/getTranslation';

/** A file as the upload plugin returns it. */
export interface MediaFile {
  id: number;
  name: string;
  url: string;
  mime?: string;
  formats?: { thumbnail?: { url: string } } | null;
}

interface MediaLibraryDialogProps {
  allowedTypes?: string[];
  multiple?: boolean;
  onClose: () => void;
  onSelectAssets: (assets: MediaFile[]) => void;
}

interface OverrideInputProps {
  attribute: AttributeSettings;
  value: unknown;
  onChange: (value: unknown) => void;
  disabled?: boolean;
  /** Files already known by id (the base entry's and those just chosen); others are loaded. */
  files: Map<number, MediaFile>;
  onFiles: (files: MediaFile[]) => void;
}

const JSON_TYPES = new Set(['json', 'component', 'dynamiczone']);

/** A file of a media override: known already (the entry's, just chosen) or loaded by id. */
const ChosenFile = ({ id, known }: { id: number; known: MediaFile | undefined }) => {
  const { data: loaded } = useGetUploadFileQuery(id, { skip: known !== undefined });
  const file = known ?? loaded;
  return (
    <Flex direction="column" gap={1} data-testid="override-media">
      {file ? (
        <img
          src={file.formats?.thumbnail?.url ?? file.url}
          alt={file.name}
          style={{ height: '6.4rem', borderRadius: '4px' }}
        />
      ) : null}
      <Typography variant="pi">{file?.name ?? `#${id}`}</Typography>
    </Flex>
  );
};

/** Media: thumbnails and the upload plugin's Media Library dialog, as in the Content Manager. */
const MediaOverride = ({
  attribute,
  value,
  onChange,
  disabled,
  files,
  onFiles,
}: OverrideInputProps) => {
  const t = useT();
  const components = useStrapiApp('PersonalizeMedia', (state) => state.components);
  const [open, setOpen] = useState(false);
  const MediaLibraryDialog = components?.['media-library'] as
    | ComponentType<MediaLibraryDialogProps>
    | undefined;
  const ids = (Array.isArray(value) ? value : value == null ? [] : [value]) as number[];
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Flex gap={2} wrap="wrap">
        {ids.map((id) => (
          <ChosenFile key={id} id={id} known={files.get(id)} />
        ))}
      </Flex>
      <Box>
        <Button
          variant="secondary"
          startIcon={<Images />}
          disabled={disabled || !MediaLibraryDialog}
          onClick={() => setOpen(true)}
        >
          {t('override.media.choose', 'Choose in the Media Library')}
        </Button>
      </Box>
      {open && MediaLibraryDialog ? (
        <MediaLibraryDialog
          allowedTypes={attribute.allowedTypes ?? undefined}
          multiple={attribute.multiple === true}
          onClose={() => setOpen(false)}
          onSelectAssets={(assets) => {
            onFiles(assets);
            const chosen = assets.map((asset) => asset.id);
            onChange(attribute.multiple ? chosen : (chosen[0] ?? null));
            setOpen(false);
          }}
        />
      ) : null}
    </Flex>
  );
};

/** Structured values (blocks, components, dynamic zones, JSON) edited as JSON, parsed on change. */
const JsonOverride = ({ value, onChange, disabled }: OverrideInputProps) => {
  const t = useT();
  const [text, setText] = useState(() => JSON.stringify(value ?? null, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <Flex direction="column" alignItems="stretch" gap={1}>
      <Textarea
        value={text}
        disabled={disabled}
        rows={6}
        style={{ fontFamily: 'monospace' }}
        onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
          setText(event.target.value);
          try {
            onChange(JSON.parse(event.target.value));
            setError(null);
          } catch (parseError) {
            setError(
              t('rule.json.invalid', 'Not valid JSON: {error}', {
                error: (parseError as Error).message,
              })
            );
          }
        }}
      />
      {error ? (
        <Typography variant="pi" textColor="danger600">
          {error}
        </Typography>
      ) : null}
    </Flex>
  );
};

/** Blocks rich text: as text (paragraphs, headings) when that holds it exactly, else as JSON. */
const BlocksOverride = (props: OverrideInputProps) => {
  const t = useT();
  // Decided once, when the override opens: text only while it holds the blocks exactly.
  const [initialText] = useState(() => blocksToText(props.value ?? []));
  const [text, setText] = useState(initialText ?? '');
  if (initialText === null) return <JsonOverride {...props} />;
  return (
    <Flex direction="column" alignItems="stretch" gap={1}>
      <Textarea
        aria-label={props.attribute.name}
        name={props.attribute.name}
        value={text}
        disabled={props.disabled}
        rows={6}
        onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
          setText(event.target.value);
          props.onChange(textToBlocks(event.target.value));
        }}
      />
      <Typography variant="pi" textColor="neutral600">
        {t('override.blocks.hint', 'A blank line starts a new paragraph; "# " starts a heading.')}
      </Typography>
    </Flex>
  );
};

/** The input an editor knows from the Content Manager for this attribute type. */
export const OverrideInput = (props: OverrideInputProps) => {
  const t = useT();
  const { attribute, value, onChange, disabled } = props;
  const label = attribute.name;
  if (attribute.type === 'media') return <MediaOverride {...props} />;
  if (attribute.type === 'blocks') return <BlocksOverride {...props} />;
  if (JSON_TYPES.has(attribute.type)) return <JsonOverride {...props} />;
  switch (attribute.type) {
    case 'text':
    case 'richtext':
      return (
        <Textarea
          aria-label={label}
          name={attribute.name}
          value={String(value ?? '')}
          disabled={disabled}
          onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => onChange(event.target.value)}
        />
      );
    case 'enumeration':
      return (
        <SingleSelect
          aria-label={label}
          value={String(value ?? '')}
          disabled={disabled}
          onChange={(next: string | number) => onChange(String(next))}
        >
          {(attribute.enum ?? []).map((option) => (
            <SingleSelectOption key={option} value={option}>
              {option}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      );
    case 'boolean':
      return (
        <Toggle
          aria-label={label}
          checked={value === true}
          disabled={disabled}
          onLabel={t('toggle.true', 'True')}
          offLabel={t('toggle.false', 'False')}
          onChange={() => onChange(value !== true)}
        />
      );
    case 'integer':
    case 'float':
    case 'decimal':
    case 'biginteger':
      return (
        <NumberInput
          aria-label={label}
          value={typeof value === 'number' ? value : Number(value ?? 0)}
          disabled={disabled}
          onValueChange={(next: number | undefined) =>
            onChange(attribute.type === 'biginteger' ? String(next ?? 0) : (next ?? null))
          }
        />
      );
    default:
      return (
        <TextInput
          aria-label={label}
          name={attribute.name}
          value={String(value ?? '')}
          disabled={disabled}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
        />
      );
  }
};
