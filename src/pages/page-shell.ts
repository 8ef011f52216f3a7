import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Language } from '../services/localize'

/**
 * The HTML every page starts from. It holds no data: the page's script asks the API for it
 * with the key the reader entered (kept in the tab's sessionStorage, sent as a Bearer
 * header), so a page can be linked to, cached and shown before anyone has signed in.
 */
export const PAGES = ['report', 'what-if', 'history'] as const
export type Page = (typeof PAGES)[number]

/** Where the pages' scripts and style sheet are, next to this module (src/ or dist/). */
export const PAGE_ASSETS = join(__dirname, 'assets')

const TEXT = {
  en: {
    report: 'Decision report',
    'what-if': 'What-if evaluation',
    history: 'Assessment history',
    skip: 'Skip to the content',
    navigation: 'Pages',
    historyLink: 'History',
    whatIfLink: 'What-if',
    otherLanguageName: '한국어',
    loading: 'Loading…',
    noscript: 'This page needs JavaScript: it reads the decision from the API with your key.',
  },
  ko: {
    report: '배치 결정 보고서',
    'what-if': '가정 평가(저장 안 함)',
    history: '평가 이력',
    skip: '본문으로 건너뛰기',
    navigation: '페이지',
    historyLink: '이력',
    whatIfLink: '가정 평가',
    otherLanguageName: 'English',
    loading: '불러오는 중…',
    noscript: '이 페이지는 JavaScript가 필요합니다. 입력한 키로 API에서 결정을 읽어 옵니다.',
  },
} satisfies Record<Language, Record<string, string>>

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)

/** Renders each page in each language once, at start-up: a request only picks one. */
export function pageShells(): (page: Page, language: Language) => string {
  // Comments are for whoever edits the template (a linter's note, say), not for the reader.
  const template = readFileSync(join(__dirname, 'templates', 'page.html'), 'utf8').replace(
    /<!--[\s\S]*?-->\n?/g,
    '',
  )
  const render = (page: Page, language: Language) => {
    const text = TEXT[language]
    const values: Record<string, string> = {
      ...text,
      lang: language,
      otherLang: language === 'ko' ? 'en' : 'ko',
      page,
      title: text[page],
    }
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const value = values[name]
      if (value === undefined) throw new Error(`page template: no value for {{${name}}}`)
      return escapeHtml(value)
    })
  }
  const rendered = new Map(
    PAGES.flatMap((page) => (['en', 'ko'] as const).map((lang) => [`${page}/${lang}`, render(page, lang)])),
  )
  return (page, language) => rendered.get(`${page}/${language}`) ?? render(page, language)
}
