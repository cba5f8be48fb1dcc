"""What is not a release, and which paragraphs of a release are not its text.

One definition, used by :func:`pressreader.ingest.normalise.normalise` (every
format passes through it) and by the theme classifier:

* :func:`paragraph_kind` sorts a paragraph: ``NAVIGATION`` ("Read more",
  "목록으로", share bars, breadcrumbs, "© 2024 …", cookie lines, markup left
  over) and ``ATTACHMENT`` (a file name, "(856 KB)", "파일다운로드") are dropped
  at ingest; ``CONTACT`` ("Tel.: …", "E-mail: press@…", "Press service of …",
  "Photo: …") is kept but never themed.  Only whole short lines are sorted: a
  paragraph that merely starts with "Read more about …" and goes on is text.
* :func:`title_field` reads a first paragraph like ``제목: …`` / ``Title: …``.
* :func:`verdict` says why a record is not a release (a page-not-found page, a
  navigation page, an attachment stub, only a title, a body shorter than a
  sentence), or ``None``; :func:`doubt` says when one only might not be.

Everything is precompiled, and a paragraph longer than :data:`SHORT_LINE` is
text without running a pattern: these checks see every paragraph imported.
"""

from __future__ import annotations

import re
import unicodedata

from pressreader.language import CJK_LETTERS

#: Bump when what is boilerplate changes: the classifier's fingerprint holds it, so a
#: library reclassifies its articles on the next import.
VERSION = 1

NAVIGATION = "navigation"
ATTACHMENT = "attachment"
CONTACT = "contact"

#: Navigation and contact lines are short; a longer paragraph is text.
SHORT_LINE = 200
#: Cookie banners run longer than a menu line.
COOKIE_LINE = 400
#: A not-found page's body says little more than that.
NOT_FOUND_BODY = 800
#: A body with no sentence end and fewer letters than this (CJK characters count
#: twice) is shorter than a sentence: "Click here", "English", "사진".  Low on
#: purpose: when in doubt a record is kept.
MIN_LETTERS = 12
#: The tag of a record kept although it might not be a release.
DOUBT_TAG = "possibly-not-a-release"

_I = re.IGNORECASE

# --------------------------------------------------------------- navigation
#: Whole-line labels of links and buttons; a line of several of them (a share
#: bar, a menu) is navigation too.
_NAV_ITEMS = r"""
read\ more|read\ the\ (?:full\ )?(?:story|article|release|statement|text)|full\ (?:story|text|article)
|more|see\ more|learn\ more|view\ more|show\ more|more\ news|all\ news|continue\ reading
|back|go\ back|back\ to\ (?:the\ )?(?:top|list|news|index|home|homepage|overview|press\ releases?|all\ news
  |previous\ page|search\ results|table\ of\ contents)
|return\ to\ (?:the\ )?(?:top|list|news|index|home|homepage|previous\ page)
|top|to\ top|home|homepage|main\ page|menu|main\ menu|navigation|sitemap|site\ map|search|close
|previous|next|prev|previous\ (?:post|article|page|story|news)|next\ (?:post|article|page|story|news)
|older\ posts?|newer\ posts?|print|print\ this\ (?:page|article)|print\ version|printer[-\ ]friendly\ version
|share|share\ this(?:\ (?:page|article|story|post))?|share\ on\ \w+|tweet|email\ this(?:\ page)?
|send\ to\ a\ friend
|copy\ link|copy\ url|bookmark|rss|subscribe|skip\ to\ (?:the\ )?(?:main\ )?(?:content|navigation|text)
|jump\ to\ (?:navigation|content)|download|downloads|attachments?|view\ attachment|font\ size|a\+|a-
|facebook|twitter|x|linkedin|email|e-mail|whatsapp|telegram|viber|vk|vkontakte|instagram|youtube|pinterest
|reddit|tumblr|flickr|threads|mastodon|kakaotalk|kakao|line|band|naver|weibo|wechat|qq|ok|odnoklassniki
|подробнее|читать\ далее|читать\ полностью|далее|ещё|еще|назад
|вернуться(?:\ назад|\ к\ списку(?:\ новостей)?|\ к\ новостям)?
|к\ списку\ новостей|все\ новости|версия\ для\ печати|печать|распечатать|поделиться|на\ главную|главная
|меню|карта\ сайта|поиск|закрыть|наверх|перейти\ к\ (?:основному\ )?содержанию|предыдущая(?:\ новость)?
|следующая(?:\ новость)?|скачать|вконтакте|одноклассники|телеграм|мой\ мир
|더\ ?보기|자세히\ ?보기|목록|목록으로|목록\ ?보기|이전\ ?글|다음\ ?글|이전|다음
|인쇄|인쇄하기|프린트|공유|공유하기|스크랩
|파일\ ?다운로드|다운로드|파일\ ?뷰어|바로\ ?보기|미리\ ?보기
|본문\ 바로가기|주\ ?메뉴\ 바로가기|메뉴|홈|사이트맵
|맨\ ?위로|위로|닫기|페이스북|트위터|카카오톡|카카오스토리|네이버\ ?블로그|밴드|url\ ?복사|링크\ ?복사|검색
|更多|阅读全文|查看更多|查看全文|返回|返回列表|返回顶部|返回首页|上一篇|下一篇|上一条|下一条|打印|打印本页|关闭
|关闭窗口|分享|分享到|首页|网站地图|下载|附件下载|微博|微信|字体[:：]?\ ?大\ ?中\ ?小
|続きを読む|もっと見る|詳しく見る|詳細はこちら|戻る|一覧へ戻る|一覧に戻る|一覧へ|ページの先頭へ(?:戻る)?|ページトップへ
|ページの先頭に戻る|前の記事|次の記事|前へ|次へ|印刷|印刷する|シェア|ツイート|ホーム|メニュー|サイトマップ
|本文へ(?:スキップ)?|ダウンロード
"""
_NAV_ITEM = rf"(?:[\[【(<«‹]?\s*(?:{_NAV_ITEMS})\s*[\]】)>»›]?)"
_NAV_SEPARATOR = r"(?:\s*[|·•/,;:→←↑»«›‹>\-–—]\s*|\s+)"
_NAV_LINE = re.compile(rf"(?:{_NAV_ITEM}(?:{_NAV_SEPARATOR}{_NAV_ITEM})*)[\s.:!…→←↑»›>]*", _I | re.VERBOSE)
#: Navigation that carries a tail: "Previous: <title>", "Tags: …", breadcrumbs, copyright.
_NAV_TAILED = re.compile(
    r"(?:previous|next)(?:\ (?:post|article|page|story|news|item))?\s*[:：]\s*.{1,180}"
    r"|(?:tags?|keywords|categories|category|filed\ under|posted\ in|topics?|labels?)\s*[:：]\s*.{1,180}"
    r"|(?:теги|метки|рубрика|рубрики|ключевые\ слова)\s*[:：]\s*.{1,180}"
    r"|(?:предыдущая|следующая)(?:\ (?:новость|статья|запись))?\s*[:：]\s*.{1,180}"
    r"|(?:이전\ ?글|다음\ ?글)\s*[:：]?\s*.{1,180}|(?:태그|키워드)\s*[:：]\s*.{1,180}"
    r"|(?:上一篇|下一篇|上一条|下一条|标签|关键词|关键字)\s*[:：]\s*.{1,180}"
    r"|(?:前の記事|次の記事)\s*[:：]?\s*.{1,180}|(?:タグ|キーワード)\s*[:：]\s*.{1,180}"
    r"|(?:you\ are\ here|вы\ здесь|현재\ ?위치|당신의\ 위치|当前位置|您的位置|現在位置)\s*[:：]?\s*.{0,180}"
    r"|(?:home|homepage|main\ page|главная|홈|首页|ホーム|トップ)\s*(?:[>›»/|→]|&gt;)\s*.{1,180}"
    r"|(?:©|ⓒ|\(c\)\s*\d{4}|copyright\s*(?:©|ⓒ|\(c\))?\s*\d{4}|版权所有).{0,180}"
    r"|[#*\-_=~]{3,}|end|ends|-\s*end\s*-|\#\#\#|끝|-\s*끝\s*-|以上|完"
    r"|.{0,120}\b(?:all\ rights\ reserved|все\ права\ защищены)\b.{0,120}"
    r"|all\ rights\ reserved.{0,120}",
    _I | re.VERBOSE,
)
#: "News > Press releases > 2024": three short parts or more between arrows.
_BREADCRUMB = re.compile(r"[^>›»\n.!?]{1,40}(?:\s(?:>|›|»|→)\s[^>›»\n.!?]{1,40}){2,}")
#: A cookie banner speaks to the reader ("we use cookies", "by continuing ... you agree").
_COOKIES = re.compile(
    r"(?:\bwe\b|this\s+(?:web)?site|our\s+(?:web)?site|by\s+(?:continuing|using)|\byou\b).{0,120}\bcookies?\b"
    r"|\bcookies?\b.{0,120}(?:\byou\b|\bwe\b|this\s+(?:web)?site)|accept\s+(?:all\s+)?cookies"
    r"|cookie\s+(?:settings|preferences)"
    r"|(?:cookie|куки).{0,60}(?:использ|соглас|принима)|(?:использ|принима)\w*\s.{0,40}(?:cookie|куки)"
    r"|쿠키.{0,30}(?:사용|동의|허용)|cookie.{0,30}(?:使用|同意)|クッキー.{0,30}(?:使用|同意)",
    _I,
)
_COOKIE_WORDS = ("ookie", "OOKIE", "куки", "쿠키", "クッキー")
#: A paragraph of markup only: "</table>", "<!-- more -->", "<center>###</center>".
_MARKUP = re.compile(r"(?:<[^<>\n]{0,200}>\s*)+(?:[#*\-]{0,5}\s*(?:<[^<>\n]{0,200}>\s*)+)?")

# -------------------------------------------------------------- attachments
_EXTENSIONS = r"pdf|hwpx?|docx?|xlsx?|pptx?|odt|ods|odp|rtf|zip|rar|7z|jpe?g|png|gif|csv|mp4|mp3"
_SIZE = r"[\d.,]+\s*(?:[kmg]i?b|bytes?|кб|мб|гб|кбайт|мбайт)"
_ATTACHMENT_WORD = (
    r"(?:첨부\ ?파일|첨부|붙\ ?임|attachments?|attached\ files?|download|files?|documents?"
    r"|附件|添付(?:ファイル)?|вложени[ея]|файл|скачать|приложени[ея]|다운로드|下载|ダウンロード)"
)
_ATTACHMENT_LINE = re.compile(
    # "☆보도자료_실명확인방식 합리화방안.hwp (856 KB)", "[첨부: x.hwp] 붙 임", "Attachment: report.pdf"
    rf"[☆★※*•▪·\-\s]*\[?(?:{_ATTACHMENT_WORD}\s*\d*\s*[:：]?\s*)?[^\n]{{1,150}}?\.(?:{_EXTENSIONS})\]?"
    rf"(?:\s*\(?\s*{_SIZE}\s*\)?)?(?:\s*붙\s?임)?(?:\s*(?:파일\ ?다운로드|다운로드|download))?"
    # "(856 KB)", "Download PDF (2 MB)", "PDF, 1.2 MB", "[PDF]"
    rf"|\(?\s*{_SIZE}\s*\)?"
    rf"|(?:{_ATTACHMENT_WORD}\s*)?[\[(]?\s*(?:{_EXTENSIONS})\b\s*(?:[,(]?\s*{_SIZE}\s*\)?)?[\])]?"
    # "Public Meeting Transcript (PDF)", "Report (PDF, 2 MB)"
    rf"|[^\n.!?]{{1,100}}[\[(]\s*(?:{_EXTENSIONS})\b\s*(?:,\s*{_SIZE})?\s*[\])]"
    # "첨부파일 (2) 첨부파일 목록", "Attachments (3)"
    rf"|(?:{_ATTACHMENT_WORD}\s*(?:\(\d+\))?\s*(?:목록|list)?\s*)+"
    # "* 자세한 내용은 첨부파일을 참고하시기 바랍니다", "See the attached file", "详见附件"
    r"|[*※\s]*자세한\s*(?:내용|사항)은?\s*(?:붙임|첨부).{0,40}"
    r"|(?:please\s+)?see\s+(?:the\s+)?(?:attached|attachment)\b.{0,60}"
    r"|(?:подробнее\s+)?(?:см\.|смотрите)\s+(?:во\s+)?вложени.{0,40}|详见附件.{0,20}|詳細は添付.{0,30}",
    _I | re.VERBOSE,
)

# ------------------------------------------------------------------ contact
_CONTACT_LABEL = re.compile(
    r"(?:media\ |press\ )?contacts?|contact\ (?:us|details|information|person)"
    r"|for\ (?:further|more)\ information"
    r"|(?:for\ )?(?:media|press|consular|visa|general)\ (?:enquiries|inquiries|queries|contacts?)"
    r"|enquiries|inquiries"
    r"|tel|tel\.?\s*/\s*fax|telephone|phone|fax|mobile|mob|hotline|e-?mail|email\ address|website|web|address"
    r"|контакты|контактная\ информация|контактный\ телефон|тел|телефон|факс|эл\.\s*почта"
    r"|электронная\ почта|адрес"
    r"|справки\ по\ телефону|горячая\ линия|для\ справок|для\ сми"
    r"|문의|문의처|담당\s*부서|담당자|담당|책임자|연락처|전\s*화|전화번호|팩\s*스|이메일|홈페이지|자료\s*생산|주\s*소"
    r"|联系人|联系电话|联系方式|电话|传真|邮箱|电子邮件|地址|お問い合わせ(?:先)?|問い合わせ先|問合せ先|電話|ファクス|メール|住所",
    _I | re.VERBOSE,
)
_CONTACT_LINE = re.compile(
    rf"[‣•▪·*※☎✉\-\s]*(?:{_CONTACT_LABEL.pattern})\s*(?:\([^)]{{0,40}}\))?\s*[.:：]\s*\S.{{0,250}}"
    # "Press service of the MFA", "Пресс-служба МИД", "Photo: …"
    r"|(?:the\s+)?(?:press\s+service|press\s+office|press\s+centre|press\s+center|information\s+service"
    r"|media\s+office|press\s+and\s+information\s+(?:office|department))\b.{0,200}"
    r"|(?:пресс-служба|пресс-центр|информационная\s+служба|баспасөз\s+қызметі)\b.{0,200}"
    r"|(?:photos?|photo\s+credits?|photograph|image|фото|сурет|사진|图片|照片|写真)\s*(?:by\b|[:：=©(]).{0,250}"
    r"|(?:source|источник|출처|来源|出典)\s*[:：].{0,200}",
    _I | re.VERBOSE,
)
#: A telephone number: seven digits or more, with the usual separators.
_PHONE = re.compile(r"\+?\(?\+?\d[\d\s().\-–/]{5,}\d")
_DATE_IN = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{4}")
_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")
_SENTENCE_END = re.compile(r"[.!?。！？…]|다$|다\s")
_CJK = re.compile(f"[{CJK_LETTERS}]")


def _phone_line(line: str) -> bool:
    """A line that is a telephone number with a few words around it:
    "(+998 71) 233-73-40 (visa issues)", "+44 20 7008 1500"."""
    if len(line) > 120 or _DATE_IN.search(line):
        return False
    numbers = [m for m in _PHONE.finditer(line) if sum(ch.isdigit() for ch in m.group()) >= 7]
    if not numbers:
        return False
    rest = _PHONE.sub(" ", line)
    return len(_LETTER.findall(rest)) <= 40 and not re.search(r"[.!?](?:\s|$)", rest.strip())


# ---------------------------------------------------------------- paragraphs
_BULLET = re.compile(r"^(?:[-*•·‣▪–☆★※]|\d{1,3}[.)])\s*")


def paragraph_kind(text: str) -> str | None:
    """``NAVIGATION``, ``ATTACHMENT``, ``CONTACT``, or ``None`` for text.

    A list (bullet lines) is navigation or attachments when each of its lines
    is, contact details when each is one or the other.
    """
    if len(text) > COOKIE_LINE:
        return None
    stripped = text.strip()
    if "\n" not in stripped:
        return _line_kind(stripped)
    kinds = {_line_kind(_BULLET.sub("", line.strip())) for line in stripped.split("\n") if line.strip()}
    if None in kinds:
        return None
    if CONTACT in kinds:
        return CONTACT
    return ATTACHMENT if ATTACHMENT in kinds else NAVIGATION


def _line_kind(line: str) -> str | None:
    if not _ALNUM.search(line):
        return NAVIGATION  # "-", "□", "***": a bullet or a rule with nothing after it
    if len(line) > SHORT_LINE:
        return NAVIGATION if _cookie_banner(line) else None
    if _NAV_LINE.fullmatch(line) or _NAV_TAILED.fullmatch(line) or _MARKUP.fullmatch(line):
        return NAVIGATION
    if _ATTACHMENT_LINE.fullmatch(line):
        return ATTACHMENT
    if _CONTACT_LINE.fullmatch(line) or _phone_line(line):
        return CONTACT
    if _BREADCRUMB.fullmatch(line) or _cookie_banner(line):
        return NAVIGATION
    return None


def _cookie_banner(line: str) -> bool:
    # The word first: the pattern is slow, and almost no line mentions cookies.
    return any(word in line for word in _COOKIE_WORDS) and bool(_COOKIES.search(line))


def is_dropped(text: str) -> bool:
    """Navigation or an attachment line: not part of the release, dropped at ingest."""
    return paragraph_kind(text) in (NAVIGATION, ATTACHMENT)


def is_boilerplate(text: str) -> bool:
    """Navigation, an attachment line or contact details: never themed."""
    return paragraph_kind(text) is not None


# -------------------------------------------------------------------- titles
_TITLE_FIELD = re.compile(
    r"(?:제\s?목|title|subject|headline|тема|заголовок|标题|標題|题目|件名|タイトル|表題)\s*[:：]\s*(\S.{0,298})",
    _I,
)
_FOLD = re.compile(r"[\W_]+")


def title_field(paragraph: str) -> str | None:
    """The title a first paragraph gives as a field ("제목: …", "Title: …", "件名：…"), else None."""
    if len(paragraph) > 300 or "\n" in paragraph:
        return None
    match = _TITLE_FIELD.fullmatch(paragraph.strip())
    return match.group(1).strip() if match else None


def fold(text: str) -> str:
    """Text for comparison: case, spacing and punctuation folded away (Korean
    texts' ``ㆍ``, a letter Unicode-wise, is their middle dot)."""
    return _FOLD.sub("", unicodedata.normalize("NFKC", text.replace("ㆍ", "·")).casefold())


def repeats(line: str, title: str) -> bool:
    """``line`` says the title again: the same once folded, or the whole of a title cut
    short (a scraper's title field that stops mid-word)."""
    line, title = fold(line), fold(title)
    return bool(title) and (line == title or (len(title) >= 20 and line.startswith(title)))


# -------------------------------------------------------------------- pages
_NOT_FOUND_TITLE = re.compile(
    r"(?:error\s*)?404(?:\s*(?:error|not\s+found|page(?:\s+not\s+found)?))?(?:\s*\(?not\s+found\)?)?!*1?"
    r"|(?:error\s*[:\-–]?\s*)?(?:page|file|document|article)?\s*not\s+found!?"
    r"|page\s+(?:does\s+not|doesn'?t)\s+exist"
    r"|страница\s+не\s+найдена|ошибка\s+404|страница\s+не\s+существует"
    r"|페이지를?\s*찾을\s*수\s*없습니다\.?|페이지가\s*존재하지\s*않습니다\.?"
    r"|找不到(?:该|此)?(?:页面|網頁|网页)|页面不存在|页面未找到|ページが見つかりません(?:でした)?"
    r"|seite\s+nicht\s+gefunden|page\s+introuvable|página\s+no\s+encontrada",
    _I,
)
_ERROR_TITLE = re.compile(
    r"access\s+denied|403\s+forbidden|forbidden|500\s+internal\s+server\s+error|internal\s+server\s+error"
    r"|service\s+unavailable|503\s+service\s+(?:temporarily\s+)?unavailable|bad\s+gateway|502\s+bad\s+gateway"
    r"|just\s+a\s+moment\.*|attention\s+required!?|are\s+you\s+a\s+robot\??|security\s+check|captcha"
    r"|доступ\s+запрещ[её]н|ошибка\s+сервера",
    _I,
)
_NOT_FOUND_TEXT = re.compile(
    r"page\s+not\s+found"
    r"|(?:page|url|resource|document|file)\s+you\s+(?:have\s+)?"
    r"(?:requested|are\s+looking\s+for|were\s+looking\s+for|tried\s+to\s+access)\s+"
    r"(?:is\s+(?:not|no\s+longer)\s+available|does\s+not\s+exist|doesn'?t\s+exist"
    r"|(?:can|could)\s*not\s+be\s+found|was\s+not\s+found|(?:has|may\s+have)\s+been\s+(?:re)?moved)"
    r"|requested\s+(?:page|url|resource)\s+(?:was\s+not\s+found|is\s+not\s+available|could\s+not\s+be\s+found)"
    r"|this\s+page\s+(?:does\s+not|doesn'?t|no\s+longer)\s+exists?|\b(?:error\s+404|404\s+error|404\s+not\s+found)\b"
    r"|not\s+found\s+on\s+this\s+server|страница\s+не\s+найдена"
    r"|запрашиваемая\s+страница\s+не\s+(?:найдена|существует)"
    r"|страница\s+не\s+существует|ошибка\s+404|페이지를?\s*찾을\s*수\s*없습니다|페이지가\s*존재하지\s*않습니다"
    r"|找不到(?:该|此)?(?:页面|網頁|网页)|页面不存在|您访问的页面|页面未找到"
    r"|ページが見つかりません|お探しのページは見つかりません"
    r"|ページは存在しません|seite\s+nicht\s+gefunden|page\s+introuvable",
    _I,
)
_MENU_TITLE = re.compile(
    r"english|english\ version|русский|русская\ версия|на\ русском|қазақша|o['ʻ’]?zbekcha|ўзбекча"
    r"|한국어|中文|简体中文"
    r"|繁體中文|日本語|français|deutsch|español|türkçe|العربية|language|languages|select\ language"
    r"|menu|main\ menu|navigation|main\ navigation|skip\ to\ (?:the\ )?(?:main\ )?content|skip\ navigation"
    r"|home|home\ page|homepage|main\ page|start\ page|sitemap|site\ map|search|search\ results|login"
    r"|log\ in|sign\ in"
    r"|register|contact\ us|contacts?|about\ us|about|accessibility|privacy\ policy|privacy|terms\ of\ use"
    r"|terms\ and\ conditions|cookie\ policy|cookies|news|press\ releases?|archive|index"
    r"|untitled(?:\ document)?"
    r"|document|loading\.*|redirecting\.*|главная|главная\ страница|меню|карта\ сайта|поиск|контакты|новости"
    r"|메뉴|홈|메인|사이트맵|검색|전체메뉴|首页|菜单|网站地图|搜索|ホーム|メニュー|サイトマップ|検索",
    _I | re.VERBOSE,
)
_TITLE_PARTS = re.compile(r"\s+[|–—·•»:/-]\s+|\s*\|\s*")


def _title_parts(title: str) -> list[str]:
    return [part.strip(" .!") for part in _TITLE_PARTS.split(title) if part.strip(" .!")]


def _not_found_page(title: str, paragraphs: list[str]) -> bool:
    if title and len(title) <= 120 and any(_NOT_FOUND_TITLE.fullmatch(part) for part in _title_parts(title)):
        return True
    head = "\n".join(paragraphs[:4])
    return sum(len(p) for p in paragraphs) <= NOT_FOUND_BODY and bool(_NOT_FOUND_TEXT.search(head))


def _error_page(title: str) -> bool:
    return bool(title) and len(title) <= 120 and any(_ERROR_TITLE.fullmatch(p) for p in _title_parts(title))


def _menu_title(title: str, source: str) -> bool:
    """The title is a menu label ("English", "Menu", "Skip to main content", "Home"), alone or
    beside the site's name ("Home | Ministry of …"), or a telephone number."""
    if not title or len(title) > 120:
        return False
    stripped = title.strip(" .!")
    if _MENU_TITLE.fullmatch(stripped) or _phone_title(stripped):
        return True
    parts = _title_parts(stripped)
    if len(parts) == 2 and source:
        site = fold(source)
        for label, other in ((parts[0], parts[1]), (parts[1], parts[0])):
            if _MENU_TITLE.fullmatch(label) and (fold(other) in site or site in fold(other)):
                return True
    return False


def _phone_title(title: str) -> bool:
    if len(_LETTER.findall(title)) > 12:
        return False
    return _phone_line(title)


def letters(text: str) -> int:
    """Letters and digits, a CJK character counting twice (a CJK sentence is short in characters)."""
    count = sum(ch.isalnum() for ch in text)
    return count + len(_CJK.findall(text))


def verdict(
    title: str, paragraphs: list[str], dropped: list[tuple[str, str]], source: str = ""
) -> str | None:
    """Why this is not a release, or None.  ``paragraphs`` are the ones kept;
    ``dropped`` the ``(kind, text)`` of those dropped as navigation or attachments."""
    if _not_found_page(title, paragraphs + [text for _kind, text in dropped]):
        return "a page-not-found page" + (f" (title {_quote(title)})" if title else "")
    if _error_page(title) and sum(len(p) for p in paragraphs) <= NOT_FOUND_BODY:
        return f"an error page (title {_quote(title)})"
    if _menu_title(title, source):
        return f"a navigation page (title {_quote(title)})"
    if not paragraphs:
        attachments = [text for kind, text in dropped if kind == ATTACHMENT]
        if attachments:
            return f"an attachment stub ({_quote(attachments[0])})"
        if dropped:
            shown = ", ".join(_quote(text) for _kind, text in dropped[:3])
            return f"a navigation page (only links: {shown})"
        return "only a title"
    body = " ".join(paragraphs)
    if title and len(body) <= len(title) + 10 and fold(body) and fold(body) in fold(title):
        return "only a title"
    count = letters(body)
    if count < 2 or (count < MIN_LETTERS and not _SENTENCE_END.search(body)):
        return f"the body is shorter than a sentence ({len(body)} characters)"
    return None


def doubt(title: str, paragraphs: list[str]) -> bool:
    """A record kept that might still not be a release: a not-found message or a menu
    title beside a longer body."""
    head = "\n".join(paragraphs[:3])
    return bool(_NOT_FOUND_TEXT.search(head)) or bool(title and _MENU_TITLE.fullmatch(title.strip(" .!")))


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text[: limit - 1]}…'" if len(text) > limit else f"'{text}'"
