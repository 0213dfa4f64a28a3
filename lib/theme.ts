/** Applies a saved light/dark choice before the first paint (inlined in the layout's <head>). */
export const THEME_SCRIPT = `try{var t=localStorage.getItem("theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
