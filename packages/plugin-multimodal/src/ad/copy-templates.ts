import type { AdLanguage, AdTone } from './product-schema.js';

/**
 * Slots: {name}, {f1} {f2} {f3} (features), {audience}, {kw} (top keyword).
 * Each tone has alternatives; the writer picks one per product deterministically.
 */
export interface ToneTemplates {
  headline: string[];
  subline: string[];
  callToAction: string[];
  appeal: string[];
  short: string[];
  long: string[];
  benefitPrefix: string;
}

const EN: Record<AdTone, ToneTemplates> = {
  professional: {
    headline: ['{name}: built for results', 'Meet {name}', '{name}. Work smarter.'],
    subline: ['{f1}, {f2}.', 'Trusted by {audience}: {f1}.'],
    callToAction: ['Learn more', 'Request a demo', 'Get started'],
    appeal: ['Designed for {audience} who expect reliability every day.', 'For {audience} who measure what matters.'],
    short: ['{name}: {f1}. {f2}. Built for {audience}.'],
    long: [
      '{name} gives {audience} what they need: {f1}, {f2} and {f3}. Every detail is engineered for dependable performance, so you can focus on the work that counts.',
    ],
    benefitPrefix: '',
  },
  playful: {
    headline: ['Say hello to {name}!', '{name} just made your day', 'Oh hey, {name}!'],
    subline: ['{f1}. Yes, really.', 'Now with {f1} (you are welcome).'],
    callToAction: ['Grab yours', 'Let\u2019s go!', 'Try it now'],
    appeal: ['Made for {audience} who like a little fun with their {kw}.', 'Calling all {audience}: this one is for you.'],
    short: ['{name} is here! {f1}, {f2} and a whole lot of fun.'],
    long: [
      'Meet {name}, your new favourite thing. It brings {f1}, throws in {f2}, and tops it off with {f3}. {audience} everywhere are already smiling. Your turn!',
    ],
    benefitPrefix: '\u2728 ',
  },
  luxury: {
    headline: ['{name}. Effortless excellence.', 'The art of {kw}', '{name}: crafted without compromise'],
    subline: ['Exquisite {f1}.', 'Where {f1} meets refinement.'],
    callToAction: ['Discover', 'Explore the collection', 'Reserve yours'],
    appeal: ['For {audience} with discerning taste.', 'Reserved for {audience} who accept nothing less.'],
    short: ['{name}. {f1}, refined to perfection.'],
    long: [
      '{name} is an expression of quiet confidence. Every element, from {f1} to {f2}, is considered with care, and {f3} completes an experience made for {audience} who appreciate the finest things.',
    ],
    benefitPrefix: '',
  },
  urgent: {
    headline: ['{name}: don\u2019t miss out', 'Last chance for {name}', 'Get {name} today'],
    subline: ['{f1}. Limited time only.', 'Hurry: {f1} while stocks last.'],
    callToAction: ['Buy now', 'Shop now', 'Claim yours'],
    appeal: ['{audience}: this offer will not wait.', 'The {audience} who act now get it first.'],
    short: ['{name} is going fast! {f1}. Get yours today.'],
    long: [
      'Time is running out. {name} brings {f1}, {f2} and {f3}, and {audience} are snapping it up. Order today before it is gone.',
    ],
    benefitPrefix: '\u2714 ',
  },
  friendly: {
    headline: ['{name}, made for you', 'Your new everyday {kw}', 'Everyone deserves {name}'],
    subline: ['{f1}, so life is easier.', 'Enjoy {f1} every day.'],
    callToAction: ['Try it today', 'Find out more', 'Join us'],
    appeal: ['We made {name} with {audience} in mind.', 'Perfect for {audience}, just like you.'],
    short: ['Meet {name}: {f1} and {f2}, made for {audience}.'],
    long: [
      'We built {name} for {audience} like you. It offers {f1}, {f2} and {f3}, so every day gets a little easier. We think you are going to love it.',
    ],
    benefitPrefix: '',
  },
};

const ZH: Record<AdTone, ToneTemplates> = {
  professional: {
    headline: ['{name}\uff1a\u4e3a\u6210\u679c\u800c\u751f', '\u5168\u65b0{name}\uff0c\u9ad8\u6548\u4e4b\u9009', '{name}\uff0c\u4e13\u4e1a\u4e4b\u9009'],
    subline: ['{f1}\uff0c{f2}\u3002', '{audience}\u7684\u4fe1\u8d56\u4e4b\u9009\uff1a{f1}\u3002'],
    callToAction: ['\u4e86\u89e3\u66f4\u591a', '\u9884\u7ea6\u6f14\u793a', '\u7acb\u5373\u5f00\u59cb'],
    appeal: ['\u4e3a\u8ffd\u6c42\u53ef\u9760\u7684{audience}\u8bbe\u8ba1\u3002'],
    short: ['{name}\uff1a{f1}\uff0c{f2}\u3002\u4e13\u4e3a{audience}\u6253\u9020\u3002'],
    long: ['{name}\u4e3a{audience}\u5e26\u6765\u6240\u9700\u7684\u4e00\u5207\uff1a{f1}\u3001{f2}\u4ee5\u53ca{f3}\u3002\u6bcf\u4e00\u4e2a\u7ec6\u8282\u90fd\u4e3a\u7a33\u5b9a\u53ef\u9760\u800c\u8bbe\u8ba1\uff0c\u8ba9\u60a8\u4e13\u6ce8\u4e8e\u771f\u6b63\u91cd\u8981\u7684\u4e8b\u3002'],
    benefitPrefix: '',
  },
  playful: {
    headline: ['\u55e8\uff0c{name}\u6765\u5566\uff01', '{name}\uff0c\u8ba9\u6bcf\u5929\u90fd\u6709\u8da3', '\u5feb\u6765\u770b{name}\uff01'],
    subline: ['{f1}\uff0c\u5c31\u662f\u8fd9\u4e48\u8d5e\uff01', '\u73b0\u5728\u8fd8\u6709{f1}\uff01'],
    callToAction: ['\u9a6c\u4e0a\u5165\u624b', '\u4e00\u8d77\u73a9\uff01', '\u8bd5\u8bd5\u770b'],
    appeal: ['\u732e\u7ed9\u7231\u73a9\u7684{audience}\u3002'],
    short: ['{name}\u6765\u5566\uff01{f1}\u3001{f2}\uff0c\u4e50\u8da3\u52a0\u500d\u3002'],
    long: ['\u8ba4\u8bc6\u4e00\u4e0b{name}\uff0c\u4f60\u7684\u65b0\u5b9d\u8d1d\uff01\u5b83\u6709{f1}\uff0c\u8fd8\u6709{f2}\uff0c\u66f4\u6709{f3}\u3002{audience}\u90fd\u5df2\u7ecf\u7b11\u5f00\u4e86\u82b1\uff0c\u8f6e\u5230\u4f60\u5566\uff01'],
    benefitPrefix: '\u2728 ',
  },
  luxury: {
    headline: ['{name}\uff0c\u81fb\u81f3\u4e4b\u9009', '{name}\uff1a\u532e\u5fc3\u4e4b\u4f5c', '\u54c1\u5473{name}'],
    subline: ['\u7cbe\u81f4{f1}\u3002', '{f1}\uff0c\u81f3\u81fb\u4f18\u96c5\u3002'],
    callToAction: ['\u5373\u523b\u63a2\u7d22', '\u9274\u8d4f\u7cfb\u5217', '\u5c0a\u4eab\u9884\u8ba2'],
    appeal: ['\u4e3a\u54c1\u5473\u975e\u51e1\u7684{audience}\u800c\u5236\u3002'],
    short: ['{name}\u3002{f1}\uff0c\u81fb\u4e8e\u81f3\u81fb\u3002'],
    long: ['{name}\u662f\u4ece\u5bb9\u81ea\u4fe1\u7684\u8868\u8fbe\u3002\u4ece{f1}\u5230{f2}\uff0c\u6bcf\u4e00\u5904\u7ec6\u8282\u7686\u7ecf\u7cbe\u5fc3\u96d5\u7422\uff0c{f3}\u66f4\u4e3a\u61c2\u5f97\u6b23\u8d4f\u7684{audience}\u6210\u5c31\u5b8c\u7f8e\u4f53\u9a8c\u3002'],
    benefitPrefix: '',
  },
  urgent: {
    headline: ['{name}\uff0c\u9650\u65f6\u62a2\u8d2d\uff01', '\u6700\u540e\u673a\u4f1a\uff1a{name}', '\u4eca\u5929\u5c31\u5165\u624b{name}'],
    subline: ['{f1}\u3002\u9650\u65f6\u4f18\u60e0\uff01', '\u552e\u5b8c\u5373\u6b62\uff1a{f1}\u3002'],
    callToAction: ['\u7acb\u5373\u8d2d\u4e70', '\u9a6c\u4e0a\u62a2\u8d2d', '\u5373\u523b\u9886\u53d6'],
    appeal: ['{audience}\uff0c\u4f18\u60e0\u4e0d\u7b49\u4eba\uff01'],
    short: ['{name}\u70ed\u5356\u4e2d\uff01{f1}\u3002\u4eca\u5929\u5c31\u4e0b\u5355\u3002'],
    long: ['\u65f6\u95f4\u4e0d\u591a\u4e86\uff01{name}\u5e26\u6765{f1}\u3001{f2}\u548c{f3}\uff0c{audience}\u6b63\u5728\u6392\u961f\u62a2\u8d2d\u3002\u4eca\u5929\u4e0b\u5355\uff0c\u624d\u4e0d\u4f1a\u9519\u8fc7\u3002'],
    benefitPrefix: '\u2714 ',
  },
  friendly: {
    headline: ['{name}\uff0c\u4e3a\u4f60\u800c\u6765', '\u4f60\u7684\u65e5\u5e38\u597d\u4f19\u4f34\uff1a{name}', '\u6bcf\u4e2a\u4eba\u90fd\u503c\u5f97\u62e5\u6709{name}'],
    subline: ['{f1}\uff0c\u751f\u6d3b\u66f4\u8f7b\u677e\u3002', '\u6bcf\u5929\u4eab\u53d7{f1}\u3002'],
    callToAction: ['\u4eca\u5929\u5c31\u8bd5\u8bd5', '\u4e86\u89e3\u66f4\u591a', '\u52a0\u5165\u6211\u4eec'],
    appeal: ['\u6211\u4eec\u4e3a{audience}\u7528\u5fc3\u6253\u9020\u4e86{name}\u3002'],
    short: ['\u8ba4\u8bc6{name}\uff1a{f1}\u3001{f2}\uff0c\u4e13\u4e3a{audience}\u8bbe\u8ba1\u3002'],
    long: ['\u6211\u4eec\u4e3a\u50cf\u4f60\u4e00\u6837\u7684{audience}\u6253\u9020\u4e86{name}\u3002\u5b83\u63d0\u4f9b{f1}\u3001{f2}\u548c{f3}\uff0c\u8ba9\u6bcf\u4e00\u5929\u90fd\u66f4\u8f7b\u677e\u4e00\u70b9\u3002\u76f8\u4fe1\u4f60\u4f1a\u559c\u6b22\u5b83\u3002'],
    benefitPrefix: '',
  },
};

export const COPY_TEMPLATES: Record<AdLanguage, Record<AdTone, ToneTemplates>> = { en: EN, zh: ZH };
