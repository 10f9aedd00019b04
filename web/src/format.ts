import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale('zh-cn');
/** Every time is shown as in Shanghai, whatever the device's zone. */
export const ZONE = 'Asia/Shanghai';
dayjs.tz.setDefault(ZONE);

export { dayjs };

export function when(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(ZONE).format('YYYY年M月D日 HH:mm') : '—';
}

export function day(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(ZONE).format('YYYY-MM-DD') : '—';
}
